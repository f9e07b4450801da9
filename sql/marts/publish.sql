-- Replace a month's published marts with the checked rows of one run (runs inside one transaction).
DELETE FROM mart.monthly_group_counts WHERE month = %(month)s::date;
DELETE FROM mart.monthly_category_counts WHERE month = %(month)s::date;
DELETE FROM mart.monthly_region_counts WHERE month = %(month)s::date;
INSERT INTO mart.monthly_group_counts (month, group_code, reports)
    SELECT month, group_code, reports FROM mart_stage.monthly_group_counts WHERE run_id = %(run_id)s;
INSERT INTO mart.monthly_category_counts (month, group_code, category_code, reports)
    SELECT month, group_code, category_code, reports FROM mart_stage.monthly_category_counts WHERE run_id = %(run_id)s;
INSERT INTO mart.monthly_region_counts (month, region_code, group_code, reports)
    SELECT month, region_code, group_code, reports FROM mart_stage.monthly_region_counts WHERE run_id = %(run_id)s;
DELETE FROM mart.obstruction_by_year WHERE as_of_month = %(month)s::date;
DELETE FROM mart.ytd_comparison WHERE month = %(month)s::date;
DELETE FROM mart.monthly_legal_claims WHERE month = %(month)s::date;
DELETE FROM mart.refusals_by_perpetrator_type WHERE month = %(month)s::date;
INSERT INTO mart.obstruction_by_year (as_of_month, year, reports, appeals_to_law_enforcement, sent_to_court, verdicts_for_journalists)
    SELECT as_of_month, year, reports, appeals_to_law_enforcement, sent_to_court, verdicts_for_journalists
    FROM mart_stage.obstruction_by_year WHERE run_id = %(run_id)s;
INSERT INTO mart.ytd_comparison (month, group_code, category_code, ytd_reports, prev_ytd_reports, ratio, month_reports,
                                 prev_month_reports, month_on_month_ratio, same_month_last_year_reports, year_on_year_ratio)
    SELECT month, group_code, category_code, ytd_reports, prev_ytd_reports, ratio, month_reports,
           prev_month_reports, month_on_month_ratio, same_month_last_year_reports, year_on_year_ratio
    FROM mart_stage.ytd_comparison WHERE run_id = %(run_id)s;
INSERT INTO mart.monthly_legal_claims (month, claim_kind, article, new_cases, amount_claimed_kzt, ytd_new_cases, ytd_amount_claimed_kzt)
    SELECT month, claim_kind, article, new_cases, amount_claimed_kzt, ytd_new_cases, ytd_amount_claimed_kzt
    FROM mart_stage.monthly_legal_claims WHERE run_id = %(run_id)s;
INSERT INTO mart.refusals_by_perpetrator_type (month, perpetrator_type, reports, share)
    SELECT month, perpetrator_type, reports, share FROM mart_stage.refusals_by_perpetrator_type WHERE run_id = %(run_id)s;

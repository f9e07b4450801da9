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

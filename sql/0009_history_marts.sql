-- History marts of the monthly overview: obstruction since 2019, year-to-date comparisons, new legal claims,
-- refusals by who refused. Like the headline marts, each is rebuilt for one month at a time from core
-- (never from another month's marts), staged per run in mart_stage and published in one transaction.

-- Obstruction statistics scan one category over the years: keep that a range scan as history grows.
CREATE INDEX report_category_month_idx ON core.report (category_code, event_month);

CREATE TABLE mart.obstruction_by_year (
    as_of_month                 date NOT NULL,
    year                        integer NOT NULL,
    reports                     integer NOT NULL CHECK (reports >= 0),
    appeals_to_law_enforcement  integer NOT NULL CHECK (appeals_to_law_enforcement >= 0),
    sent_to_court               integer NOT NULL CHECK (sent_to_court >= 0),
    verdicts_for_journalists    integer NOT NULL CHECK (verdicts_for_journalists >= 0),
    PRIMARY KEY (as_of_month, year)
);
COMMENT ON TABLE mart.obstruction_by_year IS 'Obstruction of journalists'' lawful professional activity (CC Art. 158) per year since the year in include/data/organisation.yaml (obstruction_since), as known when the overview of as_of_month was built: counted reports up to the end of that month. Every year is present, zero included.';
COMMENT ON COLUMN mart.obstruction_by_year.as_of_month IS 'First day of the month whose overview this table belongs to; reports after that month are not included.';
COMMENT ON COLUMN mart.obstruction_by_year.year IS 'Year of the event date.';
COMMENT ON COLUMN mart.obstruction_by_year.reports IS 'Counted obstruction reports (the same report submitted twice counts once).';
COMMENT ON COLUMN mart.obstruction_by_year.appeals_to_law_enforcement IS 'Of these, reports where the journalist appealed to law enforcement.';
COMMENT ON COLUMN mart.obstruction_by_year.sent_to_court IS 'Of these, reports whose case was sent to court.';
COMMENT ON COLUMN mart.obstruction_by_year.verdicts_for_journalists IS 'Of these, reports with a verdict in favour of the journalist.';

CREATE TABLE mart.ytd_comparison (
    month                         date NOT NULL,
    group_code                    text NOT NULL REFERENCES ref.category_group (code),
    category_code                 text REFERENCES ref.category (code),
    ytd_reports                   integer NOT NULL CHECK (ytd_reports >= 0),
    prev_ytd_reports              integer NOT NULL CHECK (prev_ytd_reports >= 0),
    ratio                         numeric(10, 3),
    month_reports                 integer NOT NULL CHECK (month_reports >= 0),
    prev_month_reports            integer NOT NULL CHECK (prev_month_reports >= 0),
    month_on_month_ratio          numeric(10, 3),
    same_month_last_year_reports  integer NOT NULL CHECK (same_month_last_year_reports >= 0),
    year_on_year_ratio            numeric(10, 3)
);
CREATE UNIQUE INDEX ytd_comparison_key ON mart.ytd_comparison (month, group_code, coalesce(category_code, ''));
COMMENT ON TABLE mart.ytd_comparison IS 'Year-to-date comparison of counted reports: January to the month against the same months a year earlier, and the month against the previous month and the same month a year earlier. One row per counted group (category_code null) and per category counted in any of these periods.';
COMMENT ON COLUMN mart.ytd_comparison.month IS 'First day of the month reported on.';
COMMENT ON COLUMN mart.ytd_comparison.group_code IS 'Group code (ref.category_group).';
COMMENT ON COLUMN mart.ytd_comparison.category_code IS 'Category code (ref.category); null for the group''s own row.';
COMMENT ON COLUMN mart.ytd_comparison.ytd_reports IS 'Counted reports from January to the end of the month.';
COMMENT ON COLUMN mart.ytd_comparison.prev_ytd_reports IS 'Counted reports in the same months of the previous year.';
COMMENT ON COLUMN mart.ytd_comparison.ratio IS 'ytd_reports / prev_ytd_reports ("1.5 times more"); null when the previous year has none.';
COMMENT ON COLUMN mart.ytd_comparison.month_reports IS 'Counted reports in the month.';
COMMENT ON COLUMN mart.ytd_comparison.prev_month_reports IS 'Counted reports in the previous calendar month.';
COMMENT ON COLUMN mart.ytd_comparison.month_on_month_ratio IS 'month_reports / prev_month_reports; null when the previous month has none.';
COMMENT ON COLUMN mart.ytd_comparison.same_month_last_year_reports IS 'Counted reports in the same month a year earlier.';
COMMENT ON COLUMN mart.ytd_comparison.year_on_year_ratio IS 'month_reports / same_month_last_year_reports; null when that month has none.';

CREATE TABLE mart.monthly_legal_claims (
    month                   date NOT NULL,
    claim_kind              text NOT NULL,
    article                 text,
    new_cases               integer NOT NULL CHECK (new_cases >= 0),
    amount_claimed_kzt      numeric(18, 2) NOT NULL CHECK (amount_claimed_kzt >= 0),
    ytd_new_cases           integer NOT NULL CHECK (ytd_new_cases >= 0),
    ytd_amount_claimed_kzt  numeric(18, 2) NOT NULL CHECK (ytd_amount_claimed_kzt >= 0)
);
CREATE UNIQUE INDEX monthly_legal_claims_key ON mart.monthly_legal_claims (month, claim_kind, coalesce(article, ''));
COMMENT ON TABLE mart.monthly_legal_claims IS 'New legal claims (counted once, in the month first reported) per kind and article, with the damages claimed; one row per kind and article with a new case from January to the month, so the year-to-date totals are there too.';
COMMENT ON COLUMN mart.monthly_legal_claims.month IS 'First day of the month reported on.';
COMMENT ON COLUMN mart.monthly_legal_claims.claim_kind IS 'civil, criminal, administrative or other (core.legal_case.kind).';
COMMENT ON COLUMN mart.monthly_legal_claims.article IS 'Normalized article (core.legal_case.article_normalized, e.g. CivC 143, AdmC 73-3); null when none was given.';
COMMENT ON COLUMN mart.monthly_legal_claims.new_cases IS 'Cases first reported in the month as new claims.';
COMMENT ON COLUMN mart.monthly_legal_claims.amount_claimed_kzt IS 'Damages claimed in those cases, in tenge (zero when none given).';
COMMENT ON COLUMN mart.monthly_legal_claims.ytd_new_cases IS 'New cases from January to the end of the month.';
COMMENT ON COLUMN mart.monthly_legal_claims.ytd_amount_claimed_kzt IS 'Damages claimed in the year''s new cases to the end of the month, in tenge.';

CREATE TABLE mart.refusals_by_perpetrator_type (
    month             date NOT NULL,
    perpetrator_type  text NOT NULL REFERENCES ref.actor_type (code),
    reports           integer NOT NULL CHECK (reports >= 0),
    share             numeric(5, 4) NOT NULL CHECK (share BETWEEN 0 AND 1),
    PRIMARY KEY (month, perpetrator_type)
);
COMMENT ON TABLE mart.refusals_by_perpetrator_type IS 'Counted refusals and restrictions of information (refusal_restriction_information) per kind of who refused, for the overview''s share of state bodies, law enforcement and state-affiliated organisations (see ref.actor_type.in_state_share). Types with at least one report.';
COMMENT ON COLUMN mart.refusals_by_perpetrator_type.month IS 'First day of the event month.';
COMMENT ON COLUMN mart.refusals_by_perpetrator_type.perpetrator_type IS 'Kind of violator (ref.actor_type), normalized from core.report.perpetrator_type; unknown when none was given.';
COMMENT ON COLUMN mart.refusals_by_perpetrator_type.reports IS 'Counted refusals.';
COMMENT ON COLUMN mart.refusals_by_perpetrator_type.share IS 'Share of the month''s counted refusals (0 to 1).';

CREATE TABLE mart_stage.obstruction_by_year (run_id text NOT NULL, LIKE mart.obstruction_by_year);
CREATE TABLE mart_stage.ytd_comparison (run_id text NOT NULL, LIKE mart.ytd_comparison);
CREATE TABLE mart_stage.monthly_legal_claims (run_id text NOT NULL, LIKE mart.monthly_legal_claims);
CREATE TABLE mart_stage.refusals_by_perpetrator_type (run_id text NOT NULL, LIKE mart.refusals_by_perpetrator_type);
COMMENT ON TABLE mart_stage.obstruction_by_year IS 'Staged copy of mart.obstruction_by_year for one run, checked before publication.';
COMMENT ON TABLE mart_stage.ytd_comparison IS 'Staged copy of mart.ytd_comparison for one run, checked before publication.';
COMMENT ON TABLE mart_stage.monthly_legal_claims IS 'Staged copy of mart.monthly_legal_claims for one run, checked before publication.';
COMMENT ON TABLE mart_stage.refusals_by_perpetrator_type IS 'Staged copy of mart.refusals_by_perpetrator_type for one run, checked before publication.';

-- New legal claims of a month are found from their first report.
CREATE INDEX legal_case_first_report_idx ON core.legal_case (first_report_key);

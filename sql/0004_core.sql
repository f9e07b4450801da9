-- Accepted monitoring reports and the legal cases they follow.
CREATE TABLE core.report (
    report_key              bigserial PRIMARY KEY,
    file_id                 bigint NOT NULL REFERENCES raw.file (file_id),
    sheet                   text NOT NULL,
    row_number              integer NOT NULL,
    external_id             text,
    event_date              date NOT NULL,
    event_month             date GENERATED ALWAYS AS ((date_trunc('month', event_date::timestamp))::date) STORED,
    region_code             text NOT NULL REFERENCES ref.region (code),
    locality_code           text REFERENCES ref.locality (code),
    locality_name           text,
    category_code           text NOT NULL REFERENCES ref.category (code),
    outlet                  text,
    outlet_domain           text,
    affected                text,
    perpetrator             text,
    perpetrator_type        text,
    summary                 text NOT NULL,
    legal_article           text,
    case_ref                text,
    case_stage              text,
    plaintiff               text,
    amount_claimed_kzt      numeric(18, 2) CHECK (amount_claimed_kzt >= 0),
    appealed_to_police      boolean,
    sent_to_court           boolean,
    verdict_for_journalist  boolean,
    source                  text NOT NULL,
    source_url              text,
    confidential            boolean NOT NULL DEFAULT false,
    content_hash            text NOT NULL,
    loaded_at               timestamptz NOT NULL DEFAULT now(),
    UNIQUE (file_id, sheet, row_number)
);
CREATE INDEX report_event_month_idx ON core.report (event_month);
CREATE INDEX report_case_ref_idx ON core.report (case_ref) WHERE case_ref IS NOT NULL;
COMMENT ON TABLE core.report IS 'One row per accepted monitoring report from a correspondent workbook. The unit of count of the overview; see the counting rules in include/data/taxonomy.yaml.';
COMMENT ON COLUMN core.report.report_key IS 'Surrogate key of the report.';
COMMENT ON COLUMN core.report.file_id IS 'Lineage: the input file version (raw.file).';
COMMENT ON COLUMN core.report.sheet IS 'Lineage: sheet name, empty for CSV.';
COMMENT ON COLUMN core.report.row_number IS 'Lineage: row number in the sheet as a spreadsheet program shows it.';
COMMENT ON COLUMN core.report.external_id IS 'The correspondent''s own report number, if given.';
COMMENT ON COLUMN core.report.event_date IS 'Date of the event reported; the report counts in this month.';
COMMENT ON COLUMN core.report.event_month IS 'First day of the event month.';
COMMENT ON COLUMN core.report.region_code IS 'Region of the event (ref.region); implied by the locality when not given.';
COMMENT ON COLUMN core.report.locality_code IS 'City or town of the event (ref.locality), if known.';
COMMENT ON COLUMN core.report.locality_name IS 'City, town or village as written by the correspondent (kept when the gazetteer does not know it).';
COMMENT ON COLUMN core.report.category_code IS 'Category of the report (ref.category).';
COMMENT ON COLUMN core.report.outlet IS 'Media outlet concerned.';
COMMENT ON COLUMN core.report.outlet_domain IS 'Website of the outlet, lower-case host.';
COMMENT ON COLUMN core.report.affected IS 'Affected journalists or persons, as written.';
COMMENT ON COLUMN core.report.perpetrator IS 'Alleged violator, as written.';
COMMENT ON COLUMN core.report.perpetrator_type IS 'Kind of violator (state body, law enforcement, court, ...), as written.';
COMMENT ON COLUMN core.report.summary IS 'What happened, in the correspondent''s words.';
COMMENT ON COLUMN core.report.legal_article IS 'Legal article cited, as written (e.g. AdmC 73-3).';
COMMENT ON COLUMN core.report.case_ref IS 'Reference of the legal case; later reports on the same case are not counted again.';
COMMENT ON COLUMN core.report.case_stage IS 'Normalized stage of the case when reported (see include/data/values.yaml).';
COMMENT ON COLUMN core.report.plaintiff IS 'Plaintiff or complainant of a legal claim.';
COMMENT ON COLUMN core.report.amount_claimed_kzt IS 'Damages claimed, in tenge.';
COMMENT ON COLUMN core.report.appealed_to_police IS 'The journalist appealed to law enforcement.';
COMMENT ON COLUMN core.report.sent_to_court IS 'The case was sent to court.';
COMMENT ON COLUMN core.report.verdict_for_journalist IS 'A verdict was given in favour of the journalist.';
COMMENT ON COLUMN core.report.source IS 'Where the report came from (correspondent, media, open source).';
COMMENT ON COLUMN core.report.source_url IS 'Link to the source.';
COMMENT ON COLUMN core.report.confidential IS 'Counted but never described in a draft.';
COMMENT ON COLUMN core.report.content_hash IS 'Hash of the normalized content: the same report submitted twice has the same hash and counts once.';
COMMENT ON COLUMN core.report.loaded_at IS 'When the row was loaded.';

CREATE TABLE core.legal_case (
    case_ref              text PRIMARY KEY,
    category_code         text NOT NULL REFERENCES ref.category (code),
    first_report_key      bigint NOT NULL REFERENCES core.report (report_key) ON DELETE CASCADE,
    first_reported_month  date NOT NULL,
    latest_event_date     date NOT NULL,
    current_stage         text,
    plaintiff             text,
    outlet                text,
    legal_article         text,
    amount_claimed_kzt    numeric(18, 2),
    reports               integer NOT NULL
);
COMMENT ON TABLE core.legal_case IS 'One row per legal case (case_ref), derived from the reports about it. A claim counts only in the month it was first reported.';
COMMENT ON COLUMN core.legal_case.case_ref IS 'Case reference as given by correspondents.';
COMMENT ON COLUMN core.legal_case.category_code IS 'Category of the first report on the case.';
COMMENT ON COLUMN core.legal_case.first_report_key IS 'The report that first reported the case (the one that is counted).';
COMMENT ON COLUMN core.legal_case.first_reported_month IS 'Month in which the case was first reported.';
COMMENT ON COLUMN core.legal_case.latest_event_date IS 'Event date of the latest report on the case.';
COMMENT ON COLUMN core.legal_case.current_stage IS 'Stage given by the latest report that names one.';
COMMENT ON COLUMN core.legal_case.plaintiff IS 'Plaintiff, from the latest report that names one.';
COMMENT ON COLUMN core.legal_case.outlet IS 'Defendant outlet, from the latest report that names one.';
COMMENT ON COLUMN core.legal_case.legal_article IS 'Legal article, from the latest report that names one.';
COMMENT ON COLUMN core.legal_case.amount_claimed_kzt IS 'Damages claimed in tenge, from the latest report that names them.';
COMMENT ON COLUMN core.legal_case.reports IS 'Number of reports on the case so far.';

-- Legal cases followed to their end: what kind of case, under which article, who sues whom, where, for how
-- much, how it ended; and the dated history of every report on a case. Both are rebuilt from core.report
-- by include/presswatch/warehouse/legal_cases.py (rules in include/data/legal_cases.yaml).

CREATE TABLE ref.actor_type (
    code            text PRIMARY KEY,
    label_en        text NOT NULL,
    label_ru        text NOT NULL,
    in_state_share  boolean NOT NULL,
    sort_order      integer NOT NULL
);
COMMENT ON TABLE ref.actor_type IS 'Kinds of actor a report names as violator (perpetrator_type) or as plaintiff of a legal claim, from include/data/actor_types.yaml.';
COMMENT ON COLUMN ref.actor_type.code IS 'Stable code, e.g. state_body, law_enforcement, company; other and unknown catch the rest.';
COMMENT ON COLUMN ref.actor_type.label_en IS 'English label.';
COMMENT ON COLUMN ref.actor_type.label_ru IS 'Russian label.';
COMMENT ON COLUMN ref.actor_type.in_state_share IS 'Counted in the overview''s share of refusals by state bodies, law enforcement and state-affiliated organisations.';
COMMENT ON COLUMN ref.actor_type.sort_order IS 'Order in tables of the overview.';

CREATE TABLE ref.actor_type_alias (
    written     text PRIMARY KEY,
    actor_type  text NOT NULL REFERENCES ref.actor_type (code)
);
COMMENT ON TABLE ref.actor_type_alias IS 'Every distinct actor type as correspondents wrote it (core.report.perpetrator_type, plaintiff types), with the code it means. Filled for each new wording when reports are loaded or a month is rebuilt.';
COMMENT ON COLUMN ref.actor_type_alias.written IS 'The wording exactly as in core.report.';
COMMENT ON COLUMN ref.actor_type_alias.actor_type IS 'Actor type it means (ref.actor_type); other when no name of include/data/actor_types.yaml matches.';

ALTER TABLE core.legal_case
    ADD COLUMN kind                text,
    ADD COLUMN article_normalized  text,
    ADD COLUMN plaintiff_type      text REFERENCES ref.actor_type (code),
    ADD COLUMN journalist          text,
    ADD COLUMN court               text,
    ADD COLUMN amount_awarded_kzt  numeric(18, 2),
    ADD COLUMN outcome             text,
    ADD COLUMN first_event_date    date,
    ADD COLUMN counted             boolean;
COMMENT ON COLUMN core.legal_case.kind IS 'civil, criminal, administrative or other: from the code of the normalized article, else from the category of the first report.';
COMMENT ON COLUMN core.legal_case.article_normalized IS 'The article in one spelling, e.g. CC 274, AdmC 456-2, AdmC 73-3, CivC 143 (from the latest report naming one).';
COMMENT ON COLUMN core.legal_case.plaintiff_type IS 'Kind of plaintiff or complainant (ref.actor_type): given in a plaintiff type column, else the violator type of the reports.';
COMMENT ON COLUMN core.legal_case.journalist IS 'Defendant journalist or persons affected, as written (from the latest report naming them).';
COMMENT ON COLUMN core.legal_case.court IS 'Court hearing the case, as written (from the latest report naming it).';
COMMENT ON COLUMN core.legal_case.amount_awarded_kzt IS 'Damages awarded in tenge, from the latest report naming them.';
COMMENT ON COLUMN core.legal_case.outcome IS 'How the case ended (dismissed, settled, withdrawn, ruled_for_media, ruled_against_media, fined, convicted, acquitted, closed); null while it is under way.';
COMMENT ON COLUMN core.legal_case.first_event_date IS 'Event date of the first report on the case.';
COMMENT ON COLUMN core.legal_case.counted IS 'Whether the case is counted as a new claim (its first report gives no stage or the new_claim stage); cases first heard of later on are followed but never counted.';
COMMENT ON COLUMN core.legal_case.outlet IS 'Defendant outlet, from the latest report that names one.';

CREATE TABLE core.legal_case_event (
    report_key          bigint PRIMARY KEY REFERENCES core.report (report_key) ON DELETE CASCADE,
    case_ref            text NOT NULL REFERENCES core.legal_case (case_ref) ON DELETE CASCADE,
    sequence            integer NOT NULL,
    event_date          date NOT NULL,
    event_month         date NOT NULL,
    category_code       text NOT NULL REFERENCES ref.category (code),
    stage               text,
    counted             boolean NOT NULL,
    kind                text,
    legal_article       text,
    article_normalized  text,
    plaintiff           text,
    plaintiff_type      text REFERENCES ref.actor_type (code),
    outlet              text,
    journalist          text,
    court               text,
    amount_claimed_kzt  numeric(18, 2),
    amount_awarded_kzt  numeric(18, 2),
    outcome             text,
    UNIQUE (case_ref, sequence)
);
CREATE INDEX legal_case_event_month_idx ON core.legal_case_event (event_month);
COMMENT ON TABLE core.legal_case_event IS 'Dated history of legal cases: one row per report on a case (the same report submitted twice is one event). Only the first event of a case, as a new claim, is counted.';
COMMENT ON COLUMN core.legal_case_event.report_key IS 'The report (core.report) this event is.';
COMMENT ON COLUMN core.legal_case_event.case_ref IS 'The case (core.legal_case).';
COMMENT ON COLUMN core.legal_case_event.sequence IS '1 for the report that first reported the case, then in order of event date.';
COMMENT ON COLUMN core.legal_case_event.event_date IS 'Event date of the report.';
COMMENT ON COLUMN core.legal_case_event.event_month IS 'First day of the event month.';
COMMENT ON COLUMN core.legal_case_event.category_code IS 'Category of the report.';
COMMENT ON COLUMN core.legal_case_event.stage IS 'Stage the report gives (include/data/values.yaml case_stages), if any.';
COMMENT ON COLUMN core.legal_case_event.counted IS 'True for the one event that counts: the first report on the case, given as a new claim.';
COMMENT ON COLUMN core.legal_case_event.kind IS 'civil, criminal, administrative or other, from this report''s article or category.';
COMMENT ON COLUMN core.legal_case_event.legal_article IS 'Article as written in this report.';
COMMENT ON COLUMN core.legal_case_event.article_normalized IS 'Article in one spelling (CC 274, AdmC 73-3, CivC 143), null when none can be read.';
COMMENT ON COLUMN core.legal_case_event.plaintiff IS 'Plaintiff or complainant, as written.';
COMMENT ON COLUMN core.legal_case_event.plaintiff_type IS 'Kind of plaintiff (ref.actor_type).';
COMMENT ON COLUMN core.legal_case_event.outlet IS 'Defendant outlet, as written.';
COMMENT ON COLUMN core.legal_case_event.journalist IS 'Defendant journalist or persons affected, as written.';
COMMENT ON COLUMN core.legal_case_event.court IS 'Court, as written.';
COMMENT ON COLUMN core.legal_case_event.amount_claimed_kzt IS 'Damages claimed in tenge, as this report gives them.';
COMMENT ON COLUMN core.legal_case_event.amount_awarded_kzt IS 'Damages awarded in tenge, as this report gives them.';
COMMENT ON COLUMN core.legal_case_event.outcome IS 'Outcome this report gives (or that its stage implies: settled, closed).';

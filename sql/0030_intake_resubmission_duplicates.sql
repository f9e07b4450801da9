-- Correspondent intake at full strength: the month a file was submitted for, rows replaced by a correction
-- sent under another file name, editors' duplicate marks, the per-file intake report and the review list of
-- likely duplicates.

ALTER TABLE raw.file ADD COLUMN submission_month date;
COMMENT ON COLUMN raw.file.submission_month IS 'Month the file was submitted for: its inbox folder when named YYYY-MM, else the month it was loaded. Corrections by report id apply within this month.';

ALTER TABLE core.report ADD COLUMN duplicate_of text;
COMMENT ON COLUMN core.report.duplicate_of IS 'Report id (external_id) of the report this one duplicates, as marked by an editor in a "Duplicate of" column; a marked report is not counted.';
CREATE INDEX report_external_id_idx ON core.report (external_id) WHERE external_id IS NOT NULL;

ALTER TABLE quarantine.row ADD COLUMN external_id text;
COMMENT ON COLUMN quarantine.row.external_id IS 'The correspondent''s report id of the row, if given: a later row with the same id in the same submission month releases this one.';
CREATE INDEX quarantine_row_external_id_idx ON quarantine.row (external_id) WHERE external_id IS NOT NULL;

CREATE TABLE raw.row_replacement (
    file_id              bigint NOT NULL REFERENCES raw.file (file_id),
    sheet                text NOT NULL,
    row_number           integer NOT NULL,
    external_id          text NOT NULL,
    was                  text NOT NULL CHECK (was IN ('core', 'quarantine')),
    message              text,
    replaced_by_file_id  bigint NOT NULL REFERENCES raw.file (file_id),
    replaced_at          timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (file_id, sheet, row_number)
);
COMMENT ON TABLE raw.row_replacement IS 'History of rows withdrawn because a later file of the same submission month carried the same report id (a correction sent under another file name). With core.report and quarantine.row, every row of raw.row of a current file version is accounted for.';
COMMENT ON COLUMN raw.row_replacement.file_id IS 'The file version the withdrawn row was read from.';
COMMENT ON COLUMN raw.row_replacement.sheet IS 'Sheet of the withdrawn row; empty for CSV.';
COMMENT ON COLUMN raw.row_replacement.row_number IS 'Row number of the withdrawn row.';
COMMENT ON COLUMN raw.row_replacement.external_id IS 'The report id both rows carry.';
COMMENT ON COLUMN raw.row_replacement.was IS 'Where the withdrawn row was: core (an accepted report) or quarantine (a rejected row, now released).';
COMMENT ON COLUMN raw.row_replacement.message IS 'For a quarantined row, the reasons it had been rejected for.';
COMMENT ON COLUMN raw.row_replacement.replaced_by_file_id IS 'The file version whose row replaced it.';
COMMENT ON COLUMN raw.row_replacement.replaced_at IS 'When it was replaced.';

CREATE VIEW quarantine.intake_report AS
    SELECT f.file_id, f.inbox_path, 'file'::text AS level, NULL::text AS sheet, NULL::integer AS row_number,
           NULL::text AS column_name, NULL::text AS value, q.reason
    FROM raw.file f JOIN quarantine.file q ON q.file_id = f.file_id
    UNION ALL
    SELECT f.file_id, f.inbox_path, 'sheet', s ->> 'sheet', NULL, NULL, NULL,
           'sheet skipped: ' || (s ->> 'skipped')
    FROM raw.file f, jsonb_array_elements(f.sheets) s
    WHERE s ? 'skipped'
    UNION ALL
    SELECT f.file_id, f.inbox_path, 'column', s ->> 'sheet', (s ->> 'header_row')::integer, m, NULL,
           'required column missing: every row needs it'
    FROM raw.file f, jsonb_array_elements(f.sheets) s, jsonb_array_elements_text(s -> 'missing_columns') m
    WHERE s ? 'missing_columns'
    UNION ALL
    SELECT f.file_id, f.inbox_path, 'column', s ->> 'sheet', (s ->> 'header_row')::integer, d, NULL,
           'column given twice: only the first one is read'
    FROM raw.file f, jsonb_array_elements(f.sheets) s, jsonb_array_elements_text(s -> 'duplicate_columns') d
    WHERE s ? 'duplicate_columns'
    UNION ALL
    SELECT f.file_id, f.inbox_path, 'column', NULL, NULL, u, NULL,
           'column not recognized: its values are kept but not used'
    FROM raw.file f, unnest(f.unknown_columns) u
    UNION ALL
    SELECT q.file_id, q.inbox_path, 'row', q.sheet, q.row_number, p.column_name, p.value, p.reason
    FROM quarantine.row q JOIN quarantine.row_problem p ON p.quarantine_row_id = q.quarantine_row_id;
COMMENT ON VIEW quarantine.intake_report IS 'What intake rejected in each file version and why: the file as a whole, skipped sheets, missing, doubled and unknown columns, and every problem of every quarantined row (sheet, row, column, value, reason). The readable copy is written under <STORAGE>/intake/YYYY-MM/.';
COMMENT ON COLUMN quarantine.intake_report.file_id IS 'The file version (raw.file).';
COMMENT ON COLUMN quarantine.intake_report.inbox_path IS 'Path of the file in the correspondents inbox.';
COMMENT ON COLUMN quarantine.intake_report.level IS 'file, sheet, column or row: what the line is about.';
COMMENT ON COLUMN quarantine.intake_report.sheet IS 'Sheet name (empty for CSV; NULL when not about a sheet).';
COMMENT ON COLUMN quarantine.intake_report.row_number IS 'Row as a spreadsheet program shows it (the header row for column lines).';
COMMENT ON COLUMN quarantine.intake_report.column_name IS 'Header of the column as written in the file.';
COMMENT ON COLUMN quarantine.intake_report.value IS 'The rejected value as text.';
COMMENT ON COLUMN quarantine.intake_report.reason IS 'Why, in words a correspondent can act on.';

CREATE VIEW core.possible_duplicate AS
    SELECT a.report_key, b.report_key AS other_report_key, a.external_id, b.external_id AS other_external_id,
           a.event_date, a.region_code, a.locality_code, a.category_code, a.outlet,
           a.summary, b.summary AS other_summary, fa.inbox_path, fb.inbox_path AS other_inbox_path
    FROM core.report a
    JOIN core.report b
      ON b.event_date = a.event_date AND b.region_code = a.region_code AND b.category_code = a.category_code
     AND b.locality_code IS NOT DISTINCT FROM a.locality_code
     AND lower(btrim(b.outlet)) = lower(btrim(a.outlet))
     AND b.content_hash <> a.content_hash AND b.report_key > a.report_key
    JOIN raw.file fa ON fa.file_id = a.file_id
    JOIN raw.file fb ON fb.file_id = b.file_id
    WHERE a.duplicate_of IS NULL AND b.duplicate_of IS NULL;
COMMENT ON VIEW core.possible_duplicate IS 'Pairs of reports that are likely duplicates for editors to review: same event date, region, locality, category and outlet, different text. Both count until an editor marks one with a "Duplicate of" column in a later workbook; the same text sent twice already counts once.';
COMMENT ON COLUMN core.possible_duplicate.report_key IS 'The earlier loaded report of the pair.';
COMMENT ON COLUMN core.possible_duplicate.other_report_key IS 'The later loaded report of the pair.';
COMMENT ON COLUMN core.possible_duplicate.external_id IS 'Report id of the earlier report, to write in a "Duplicate of" column.';
COMMENT ON COLUMN core.possible_duplicate.other_external_id IS 'Report id of the later report.';
COMMENT ON COLUMN core.possible_duplicate.event_date IS 'Event date both reports give.';
COMMENT ON COLUMN core.possible_duplicate.region_code IS 'Region both reports give.';
COMMENT ON COLUMN core.possible_duplicate.locality_code IS 'Locality both reports give (may be empty).';
COMMENT ON COLUMN core.possible_duplicate.category_code IS 'Category both reports give.';
COMMENT ON COLUMN core.possible_duplicate.outlet IS 'Outlet both reports name (compared ignoring case).';
COMMENT ON COLUMN core.possible_duplicate.summary IS 'Summary of the earlier report.';
COMMENT ON COLUMN core.possible_duplicate.other_summary IS 'Summary of the later report.';
COMMENT ON COLUMN core.possible_duplicate.inbox_path IS 'File of the earlier report.';
COMMENT ON COLUMN core.possible_duplicate.other_inbox_path IS 'File of the later report.';

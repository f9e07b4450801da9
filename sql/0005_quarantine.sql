-- Everything that could not be accepted, with every reason, so nothing is lost.
CREATE TABLE quarantine.file (
    file_id         bigint PRIMARY KEY REFERENCES raw.file (file_id),
    inbox_path      text NOT NULL,
    reason          text NOT NULL,
    quarantined_at  timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE quarantine.file IS 'Input files that could not be read at all (corrupt, encrypted, not a spreadsheet, no header found).';
COMMENT ON COLUMN quarantine.file.file_id IS 'The file version (raw.file).';
COMMENT ON COLUMN quarantine.file.inbox_path IS 'Path of the file relative to its inbox folder.';
COMMENT ON COLUMN quarantine.file.reason IS 'Why the file could not be read, in words a correspondent can act on.';
COMMENT ON COLUMN quarantine.file.quarantined_at IS 'When the file was quarantined.';

CREATE TABLE quarantine.row (
    quarantine_row_id  bigserial PRIMARY KEY,
    file_id            bigint NOT NULL REFERENCES raw.file (file_id),
    inbox_path         text NOT NULL,
    sheet              text NOT NULL,
    row_number         integer NOT NULL,
    message            text NOT NULL,
    payload            jsonb NOT NULL,
    quarantined_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (file_id, sheet, row_number)
);
COMMENT ON TABLE quarantine.row IS 'Input rows that failed normalization or data-quality checks. Every input row is either here or in core.report.';
COMMENT ON COLUMN quarantine.row.quarantine_row_id IS 'Surrogate key.';
COMMENT ON COLUMN quarantine.row.file_id IS 'The file version (raw.file).';
COMMENT ON COLUMN quarantine.row.inbox_path IS 'Path of the file relative to its inbox folder.';
COMMENT ON COLUMN quarantine.row.sheet IS 'Sheet name; empty for CSV.';
COMMENT ON COLUMN quarantine.row.row_number IS 'Row number as a spreadsheet program shows it.';
COMMENT ON COLUMN quarantine.row.message IS 'All reasons, one per line, as "sheet S, row N, column X: reason".';
COMMENT ON COLUMN quarantine.row.payload IS 'The row''s cells as read.';
COMMENT ON COLUMN quarantine.row.quarantined_at IS 'When the row was quarantined.';

CREATE TABLE quarantine.row_problem (
    quarantine_row_id  bigint NOT NULL REFERENCES quarantine.row (quarantine_row_id) ON DELETE CASCADE,
    column_name        text NOT NULL,
    field              text,
    value              text,
    reason             text NOT NULL
);
CREATE INDEX row_problem_row_idx ON quarantine.row_problem (quarantine_row_id);
COMMENT ON TABLE quarantine.row_problem IS 'One row per problem found in a quarantined row: which column, which value, why.';
COMMENT ON COLUMN quarantine.row_problem.quarantine_row_id IS 'The quarantined row.';
COMMENT ON COLUMN quarantine.row_problem.column_name IS 'Header of the column as written in the file (or the expected header when the column is missing).';
COMMENT ON COLUMN quarantine.row_problem.field IS 'The presswatch field the column maps to, e.g. event_date.';
COMMENT ON COLUMN quarantine.row_problem.value IS 'The offending value as text.';
COMMENT ON COLUMN quarantine.row_problem.reason IS 'Why the value was rejected.';

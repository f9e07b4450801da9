-- Lineage: every input file version and every row read from it, as read.
CREATE TABLE raw.file (
    file_id           bigserial PRIMARY KEY,
    source_kind       text NOT NULL,
    inbox_path        text NOT NULL,
    sha256            text NOT NULL,
    size_bytes        bigint NOT NULL,
    status            text NOT NULL CHECK (status IN ('loaded', 'quarantined', 'superseded')),
    rows_read         integer NOT NULL DEFAULT 0,
    rows_loaded       integer NOT NULL DEFAULT 0,
    rows_quarantined  integer NOT NULL DEFAULT 0,
    sheets            jsonb NOT NULL DEFAULT '[]'::jsonb,
    unknown_columns   text[] NOT NULL DEFAULT '{}',
    loaded_at         timestamptz NOT NULL DEFAULT now(),
    superseded_at     timestamptz,
    superseded_by     bigint REFERENCES raw.file (file_id),
    UNIQUE (source_kind, inbox_path, sha256)
);
CREATE INDEX file_sha256_idx ON raw.file (sha256);
COMMENT ON TABLE raw.file IS 'One row per version of an input file. A file is identified by its path in the inbox; a new content hash at the same path is a new version that supersedes the old one.';
COMMENT ON COLUMN raw.file.file_id IS 'Surrogate id of the file version.';
COMMENT ON COLUMN raw.file.source_kind IS 'correspondent (workbooks) or registry (register dumps).';
COMMENT ON COLUMN raw.file.inbox_path IS 'Path relative to the inbox folder of its kind, e.g. 2024-03/kostanay.xlsx.';
COMMENT ON COLUMN raw.file.sha256 IS 'SHA-256 of the file bytes; the idempotency key of a load.';
COMMENT ON COLUMN raw.file.size_bytes IS 'Size of the file in bytes.';
COMMENT ON COLUMN raw.file.status IS 'loaded (rows are in core or quarantine), quarantined (the file could not be read at all) or superseded (a newer version of the same path replaced it).';
COMMENT ON COLUMN raw.file.rows_read IS 'Data rows read from the file (header and blank rows excluded).';
COMMENT ON COLUMN raw.file.rows_loaded IS 'Rows accepted into core.report.';
COMMENT ON COLUMN raw.file.rows_quarantined IS 'Rows sent to quarantine.row.';
COMMENT ON COLUMN raw.file.sheets IS 'Per sheet: name, header row, rows read, or the reason it was skipped.';
COMMENT ON COLUMN raw.file.unknown_columns IS 'Headers that matched no known field; their values are kept in raw.row.payload.';
COMMENT ON COLUMN raw.file.loaded_at IS 'When this version was read.';
COMMENT ON COLUMN raw.file.superseded_at IS 'When a newer version of the same path replaced this one.';
COMMENT ON COLUMN raw.file.superseded_by IS 'The file_id of the version that replaced this one.';

CREATE TABLE raw.row (
    file_id     bigint NOT NULL REFERENCES raw.file (file_id),
    sheet       text NOT NULL,
    row_number  integer NOT NULL,
    payload     jsonb NOT NULL,
    PRIMARY KEY (file_id, sheet, row_number)
);
COMMENT ON TABLE raw.row IS 'Every data row read from an input file, cell text keyed by the header as written. May hold personal data: not for analysts.';
COMMENT ON COLUMN raw.row.file_id IS 'The file version the row was read from.';
COMMENT ON COLUMN raw.row.sheet IS 'Sheet name; empty for CSV files.';
COMMENT ON COLUMN raw.row.row_number IS 'Row number as a spreadsheet program shows it (1-based, header rows included).';
COMMENT ON COLUMN raw.row.payload IS 'Cell values as text, keyed by the header cell text.';

-- A correction by report id withdraws the rows of earlier files that carry its ids (raw.row_replacement). When
-- the correcting file is itself replaced by a version that no longer carries an id, or by a file that cannot be
-- read, nothing current says anything else about that report: the withdrawn row comes back. For that the
-- withdrawal keeps the row as it stood, and a restoration is recorded in a history of its own, so that
-- raw.row_replacement keeps meaning "withdrawn now" and the file counters keep adding up.

ALTER TABLE raw.row_replacement ADD COLUMN content jsonb;
COMMENT ON COLUMN raw.row_replacement.content IS 'The withdrawn row as it stood: the core.report row, or the quarantine.row row with its problems under "problems". It is put back when the correcting file version stops being current and no current file of the month carries the report id. NULL for rows withdrawn before this was kept (they cannot come back by themselves; load their file again).';

CREATE TABLE raw.row_restoration (
    restoration_id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    file_id              bigint NOT NULL REFERENCES raw.file (file_id),
    sheet                text NOT NULL,
    row_number           integer NOT NULL,
    external_id          text NOT NULL,
    was                  text NOT NULL CHECK (was IN ('core', 'quarantine')),
    replaced_by_file_id  bigint NOT NULL REFERENCES raw.file (file_id),
    replaced_at          timestamptz NOT NULL,
    restored_by_file_id  bigint NOT NULL REFERENCES raw.file (file_id),
    restored_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX row_restoration_file_idx ON raw.row_restoration (file_id);
COMMENT ON TABLE raw.row_restoration IS 'History of withdrawn rows that came back: the file version that had withdrawn them (a correction by report id) was itself replaced, and no current file of the submission month carries the report id any more. The row is in core.report or quarantine.row again, as it was.';
COMMENT ON COLUMN raw.row_restoration.restoration_id IS 'Surrogate key: a row can be withdrawn and come back more than once.';
COMMENT ON COLUMN raw.row_restoration.file_id IS 'The file version the row was read from (and belongs to again).';
COMMENT ON COLUMN raw.row_restoration.sheet IS 'Sheet of the row; empty for CSV.';
COMMENT ON COLUMN raw.row_restoration.row_number IS 'Row number of the row.';
COMMENT ON COLUMN raw.row_restoration.external_id IS 'The report id the withdrawal was about.';
COMMENT ON COLUMN raw.row_restoration.was IS 'Where the row was, and is again: core (an accepted report) or quarantine (a rejected row).';
COMMENT ON COLUMN raw.row_restoration.replaced_by_file_id IS 'The file version whose row had withdrawn it.';
COMMENT ON COLUMN raw.row_restoration.replaced_at IS 'When it had been withdrawn.';
COMMENT ON COLUMN raw.row_restoration.restored_by_file_id IS 'The file version whose arrival replaced the correcting version (a new version of its path, readable or not).';
COMMENT ON COLUMN raw.row_restoration.restored_at IS 'When it came back.';

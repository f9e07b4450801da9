-- Registry ingest at register size (issue 7, item 9): every entry remembers the fingerprint of the line it was
-- last read from, so the next snapshot recognises its unchanged lines by a fixed-width hash instead of
-- rebuilding their keys (sql/registry/fingerprint.sql). Entries loaded before this migration have no
-- fingerprint yet: the next snapshot of their source keys them the long way once and records it.

ALTER TABLE core.registry_notice
    ADD COLUMN row_fp_a bigint,
    ADD COLUMN row_fp_b bigint;
COMMENT ON COLUMN core.registry_notice.row_fp_a IS 'Fingerprint of the staged row (all fields as read, IPs included) the entry was last taken from, first 64 bits: hashtextextended(row, 0); null until the entry is next read.';
COMMENT ON COLUMN core.registry_notice.row_fp_b IS 'Second 64 bits of the row fingerprint: hashtextextended(row, 1). Both halves must agree for a staged row to count as the same as the entry''s.';

-- Every new version of a path looks for the rows its old version had withdrawn (by the withdrawing file, then by
-- report id); without these indexes each of those looks reads the whole withdrawal history.
CREATE INDEX row_replacement_replaced_by_idx ON raw.row_replacement (replaced_by_file_id);
CREATE INDEX row_replacement_external_id_idx ON raw.row_replacement (external_id);
COMMENT ON INDEX raw.row_replacement_replaced_by_idx IS 'The rows a file version withdrew: looked up when that version is replaced.';
COMMENT ON INDEX raw.row_replacement_external_id_idx IS 'The withdrawn rows of a report id: looked up when a withdrawal is undone.';

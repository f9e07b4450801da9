-- A row withdrawn because a later file of the same submission month carried its report id (a correction sent
-- under another file name, raw.row_replacement) is no longer in core.report or quarantine.row. Intake now takes
-- such rows off the counters of the file they came from (load_reports._replace_by_report_id), so that for
-- every current file rows_read = rows_loaded + rows_quarantined + its rows in raw.row_replacement.

-- Counters written before that change still include the withdrawn rows: take them off once, as intake would
-- have when it withdrew them. Every row of raw.row_replacement was counted by its file when withdrawn.
UPDATE raw.file f
SET rows_loaded = f.rows_loaded - n.core, rows_quarantined = f.rows_quarantined - n.quarantine
FROM (SELECT file_id, count(*) FILTER (WHERE was = 'core') AS core,
             count(*) FILTER (WHERE was = 'quarantine') AS quarantine
      FROM raw.row_replacement GROUP BY file_id) n
WHERE f.file_id = n.file_id;

COMMENT ON COLUMN raw.file.status IS 'loaded (rows are in core or quarantine, or in raw.row_replacement once a correction withdrew them), quarantined (the file could not be read at all) or superseded (a newer version of the same path replaced it).';
COMMENT ON COLUMN raw.file.rows_read IS 'Data rows read from the file (header and blank rows excluded): rows_loaded + rows_quarantined + the rows withdrawn since by a correction (raw.row_replacement).';
COMMENT ON COLUMN raw.file.rows_loaded IS 'Rows of the file in core.report: those accepted, less those withdrawn since by a correction with the same report id (counted in raw.row_replacement).';
COMMENT ON COLUMN raw.file.rows_quarantined IS 'Rows of the file in quarantine.row: those rejected, less those released since by a correction with the same report id (counted in raw.row_replacement).';
COMMENT ON VIEW quarantine.intake_report IS 'What intake rejected in each file version and why: the file as a whole, skipped sheets, missing, doubled and unknown columns, and every problem of every quarantined row (sheet, row, column, value, reason). A row released since by a correction with the same report id is no longer listed; raw.row_replacement keeps its reasons. The readable copy is written under <STORAGE>/intake/YYYY-MM/ when the file is loaded.';

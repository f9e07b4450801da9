-- core.check_report_references (0041) joined every row a statement wrote with raw.file and the three
-- reference tables: four index probes per row, about a quarter of the server's time of a COPY into
-- core.report (500 rows a file). A file names one file id and a few dozen codes, so each key column is now
-- checked once per distinct value; the row-by-row join runs only when a check failed, to name the first bad
-- row (in the order the statement wrote them) in the error as before.
CREATE OR REPLACE FUNCTION core.check_report_references() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    bad record;
BEGIN
    IF NOT EXISTS (SELECT FROM (SELECT DISTINCT file_id FROM new_reports) n
                   WHERE NOT EXISTS (SELECT FROM raw.file f WHERE f.file_id = n.file_id))
       AND NOT EXISTS (SELECT FROM (SELECT DISTINCT region_code FROM new_reports) n
                       WHERE NOT EXISTS (SELECT FROM ref.region r WHERE r.code = n.region_code))
       AND NOT EXISTS (SELECT FROM (SELECT DISTINCT category_code FROM new_reports) n
                       WHERE NOT EXISTS (SELECT FROM ref.category c WHERE c.code = n.category_code))
       AND NOT EXISTS (SELECT FROM (SELECT DISTINCT locality_code FROM new_reports WHERE locality_code IS NOT NULL) n
                       WHERE NOT EXISTS (SELECT FROM ref.locality l WHERE l.code = n.locality_code))
    THEN
        RETURN NULL;
    END IF;
    SELECT n.file_id, n.sheet, n.row_number,
           CASE WHEN f.file_id IS NULL THEN format('file_id %s is not in raw.file', n.file_id)
                WHEN r.code IS NULL THEN format('region_code %L is not in ref.region', n.region_code)
                WHEN c.code IS NULL THEN format('category_code %L is not in ref.category', n.category_code)
                ELSE format('locality_code %L is not in ref.locality', n.locality_code)
           END AS problem
      INTO bad
      FROM new_reports n
      LEFT JOIN raw.file f ON f.file_id = n.file_id
      LEFT JOIN ref.region r ON r.code = n.region_code
      LEFT JOIN ref.category c ON c.code = n.category_code
      LEFT JOIN ref.locality l ON l.code = n.locality_code
     WHERE f.file_id IS NULL OR r.code IS NULL OR c.code IS NULL
        OR (n.locality_code IS NOT NULL AND l.code IS NULL)
     ORDER BY n.report_key  -- the first bad row in the order written: the file's order
     LIMIT 1;
    IF NOT FOUND THEN  -- the missing key was committed meanwhile: every row is good now
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'core.report (file %, sheet %, row %): %', bad.file_id, bad.sheet, bad.row_number, bad.problem
        USING ERRCODE = 'foreign_key_violation', SCHEMA = 'core', TABLE = 'report';
END
$$;

COMMENT ON FUNCTION core.check_report_references() IS 'Trigger: every row a statement wrote to core.report names a known file, region, category and (if any) locality; each distinct key is looked up once, and the first bad row in the order written is named in the error.';

-- core.report and raw.row are filled by COPY, a file's rows per statement. Their foreign keys were checked
-- row by row: one look-up and one row lock per key per row, half of the server's time of an intake. The same
-- rules are now checked once per statement over all the statement's rows (AFTER ... FOR EACH STATEMENT with
-- a transition table), and the referenced tables refuse to lose a key that is still used.
--
-- Concurrency: a statement that removes or re-keys referenced rows takes a SHARE lock on the referencing
-- table, so it waits for loads in progress and loads wait for it; the load's own check then runs with a
-- snapshot taken after the removal. Loads run at READ COMMITTED (a REPEATABLE READ load could miss a
-- removal committed after its snapshot; nothing in presswatch loads that way).

ALTER TABLE core.report DROP CONSTRAINT report_file_id_fkey;
ALTER TABLE core.report DROP CONSTRAINT report_region_code_fkey;
ALTER TABLE core.report DROP CONSTRAINT report_locality_code_fkey;
ALTER TABLE core.report DROP CONSTRAINT report_category_code_fkey;
ALTER TABLE raw.row DROP CONSTRAINT row_file_id_fkey;

CREATE FUNCTION core.check_report_references() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    bad record;
BEGIN
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
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'core.report (file %, sheet %, row %): %', bad.file_id, bad.sheet, bad.row_number, bad.problem
            USING ERRCODE = 'foreign_key_violation', SCHEMA = 'core', TABLE = 'report';
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION core.check_report_references() IS 'Trigger: every row a statement wrote to core.report names a known file, region, category and (if any) locality.';

CREATE TRIGGER report_references_on_insert AFTER INSERT ON core.report
    REFERENCING NEW TABLE AS new_reports FOR EACH STATEMENT EXECUTE FUNCTION core.check_report_references();
CREATE TRIGGER report_references_on_update AFTER UPDATE ON core.report
    REFERENCING NEW TABLE AS new_reports FOR EACH STATEMENT EXECUTE FUNCTION core.check_report_references();

CREATE FUNCTION raw.check_row_file() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    missing bigint;
BEGIN
    SELECT n.file_id INTO missing
      FROM (SELECT DISTINCT file_id FROM new_rows) n
     WHERE NOT EXISTS (SELECT FROM raw.file f WHERE f.file_id = n.file_id)
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'raw.row: file_id % is not in raw.file', missing
            USING ERRCODE = 'foreign_key_violation', SCHEMA = 'raw', TABLE = 'row';
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION raw.check_row_file() IS 'Trigger: every row a statement wrote to raw.row belongs to a file version in raw.file.';

CREATE TRIGGER row_file_on_insert AFTER INSERT ON raw.row
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION raw.check_row_file();
CREATE TRIGGER row_file_on_update AFTER UPDATE ON raw.row
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION raw.check_row_file();

-- The referenced side. Arguments: key column of the referenced table, then pairs of referencing table and
-- column. A key that a statement removed (deleted, or changed by an update) and that no row of the table
-- still has must not be used by any referencing row.
CREATE FUNCTION core.refuse_removing_used_keys() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    key_column text := TG_ARGV[0];
    removed_keys text := format(
        'SELECT o.%1$I FROM old_keys o WHERE NOT EXISTS (SELECT FROM %2$I.%3$I t WHERE t.%1$I = o.%1$I)',
        key_column, TG_TABLE_SCHEMA, TG_TABLE_NAME);
    any_removed boolean;
    used text;
BEGIN
    -- Most updates keep their keys (a file's status, a label): nothing to lock, nothing to check.
    EXECUTE format('SELECT EXISTS (%s)', removed_keys) INTO any_removed;
    IF NOT any_removed THEN
        RETURN NULL;
    END IF;
    FOR i IN 1 .. TG_NARGS - 1 BY 2 LOOP
        EXECUTE format('LOCK TABLE %s IN SHARE MODE', TG_ARGV[i]);
        EXECUTE format('SELECT x.%1$I::text FROM %2$s x WHERE x.%1$I IN (%3$s) LIMIT 1',
                       TG_ARGV[i + 1], TG_ARGV[i], removed_keys)
            INTO used;
        IF used IS NOT NULL THEN
            RAISE EXCEPTION '%.% % = % is still used by %.%', TG_TABLE_SCHEMA, TG_TABLE_NAME, key_column, used,
                TG_ARGV[i], TG_ARGV[i + 1]
                USING ERRCODE = 'foreign_key_violation', SCHEMA = TG_TABLE_SCHEMA, TABLE = TG_TABLE_NAME;
        END IF;
    END LOOP;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION core.refuse_removing_used_keys() IS 'Trigger: a key of a reference or file table cannot be deleted or changed while core.report or raw.row uses it.';

CREATE TRIGGER file_keys_on_delete AFTER DELETE ON raw.file REFERENCING OLD TABLE AS old_keys
    FOR EACH STATEMENT EXECUTE FUNCTION core.refuse_removing_used_keys('file_id', 'core.report', 'file_id', 'raw.row', 'file_id');
CREATE TRIGGER file_keys_on_update AFTER UPDATE ON raw.file REFERENCING OLD TABLE AS old_keys
    FOR EACH STATEMENT EXECUTE FUNCTION core.refuse_removing_used_keys('file_id', 'core.report', 'file_id', 'raw.row', 'file_id');
CREATE TRIGGER region_keys_on_delete AFTER DELETE ON ref.region REFERENCING OLD TABLE AS old_keys
    FOR EACH STATEMENT EXECUTE FUNCTION core.refuse_removing_used_keys('code', 'core.report', 'region_code');
CREATE TRIGGER region_keys_on_update AFTER UPDATE ON ref.region REFERENCING OLD TABLE AS old_keys
    FOR EACH STATEMENT EXECUTE FUNCTION core.refuse_removing_used_keys('code', 'core.report', 'region_code');
CREATE TRIGGER locality_keys_on_delete AFTER DELETE ON ref.locality REFERENCING OLD TABLE AS old_keys
    FOR EACH STATEMENT EXECUTE FUNCTION core.refuse_removing_used_keys('code', 'core.report', 'locality_code');
CREATE TRIGGER locality_keys_on_update AFTER UPDATE ON ref.locality REFERENCING OLD TABLE AS old_keys
    FOR EACH STATEMENT EXECUTE FUNCTION core.refuse_removing_used_keys('code', 'core.report', 'locality_code');
CREATE TRIGGER category_keys_on_delete AFTER DELETE ON ref.category REFERENCING OLD TABLE AS old_keys
    FOR EACH STATEMENT EXECUTE FUNCTION core.refuse_removing_used_keys('code', 'core.report', 'category_code');
CREATE TRIGGER category_keys_on_update AFTER UPDATE ON ref.category REFERENCING OLD TABLE AS old_keys
    FOR EACH STATEMENT EXECUTE FUNCTION core.refuse_removing_used_keys('code', 'core.report', 'category_code');

-- A report's content hash is now the SHA-256 of its content columns as COPY's text format writes them, joined
-- by tabs: the intake hashes the bytes of the line it sends anyway, instead of writing every record a second
-- time as JSON (a tenth of a worker's CPU). Unlike the JSON text, these bytes can be rebuilt from the stored
-- columns, so the functions below recompute every stored hash here, and let a check compare any row's hash
-- with its content. Equal content still gives equal hashes, so the same rows count once as before.

-- E'' strings: a backslash means the same whatever standard_conforming_strings says.
CREATE FUNCTION core.copy_text(value text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN coalesce(
        replace(replace(replace(replace(replace(replace(replace(value,
            E'\\', E'\\\\'), chr(8), E'\\b'), chr(9), E'\\t'), chr(10), E'\\n'), chr(11), E'\\v'), chr(12), E'\\f'),
            chr(13), E'\\r'),
        E'\\N');

COMMENT ON FUNCTION core.copy_text(text) IS E'A value as COPY''s text format writes it: NULL as \\N; backslash, backspace, tab, newline, vertical tab, form feed and carriage return escaped.';

CREATE FUNCTION core.report_content_hash(r core.report) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN encode(sha256(convert_to(concat_ws(chr(9),
        core.copy_text(to_char(r.event_date, 'YYYY-MM-DD')),
        core.copy_text(r.region_code),
        core.copy_text(r.locality_code),
        core.copy_text(r.locality_name),
        core.copy_text(r.category_code),
        core.copy_text(r.outlet),
        core.copy_text(r.outlet_domain),
        core.copy_text(r.affected),
        core.copy_text(r.perpetrator),
        core.copy_text(r.perpetrator_type),
        core.copy_text(r.summary),
        core.copy_text(r.legal_article),
        core.copy_text(r.case_ref),
        core.copy_text(r.case_stage),
        core.copy_text(r.plaintiff),
        core.copy_text(r.amount_claimed_kzt::text),
        core.copy_text(CASE r.appealed_to_police WHEN true THEN 't' WHEN false THEN 'f' END),
        core.copy_text(CASE r.sent_to_court WHEN true THEN 't' WHEN false THEN 'f' END),
        core.copy_text(CASE r.verdict_for_journalist WHEN true THEN 't' WHEN false THEN 'f' END),
        core.copy_text(r.source),
        core.copy_text(r.source_url),
        core.copy_text(CASE r.confidential WHEN true THEN 't' WHEN false THEN 'f' END)
    ), 'UTF8')), 'hex');

COMMENT ON FUNCTION core.report_content_hash(core.report) IS 'What core.report.content_hash holds for a report: the SHA-256 (hex) of its content columns, event_date to confidential in table order, as COPY''s text format writes them, joined by tabs. Lineage (file, sheet, row), the report id and duplicate_of are not content.';

UPDATE core.report r SET content_hash = core.report_content_hash(r)
WHERE content_hash IS DISTINCT FROM core.report_content_hash(r);

-- A report withdrawn by a correction is kept whole in raw.row_replacement.content, its hash with it, and comes
-- back as it was kept when the correction goes.
UPDATE raw.row_replacement
SET content = jsonb_set(content, '{content_hash}',
                        to_jsonb(core.report_content_hash(jsonb_populate_record(NULL::core.report, content))))
WHERE was = 'core' AND content IS NOT NULL;

COMMENT ON COLUMN core.report.content_hash IS 'Hash of the normalized content (core.report_content_hash): the same report submitted twice has the same hash and counts once.';

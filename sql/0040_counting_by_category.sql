-- A month's rebuild should not grow with history. The obstruction statistics since 2019 need one category
-- of every month, not every report of every month: counted_reports takes an optional category, applied
-- before the duplicate rule (same content means same category, so the result for that category is the
-- same), and report_category_month_idx (0009) finds those rows directly. Every counting rule of 0031 is
-- kept unchanged.

DROP FUNCTION core.counted_reports(date);

CREATE FUNCTION core.counted_reports(p_month date, p_category text DEFAULT NULL)
RETURNS TABLE (report_key bigint, event_month date, event_date date, region_code text, locality_code text,
               category_code text, group_code text, confidential boolean)
LANGUAGE sql STABLE AS $$
    WITH month_reports AS (
        -- The same report submitted twice (same normalized content) counts once.
        SELECT DISTINCT ON (r.content_hash) r.*
        FROM core.report r
        WHERE r.event_month = date_trunc('month', p_month)::date
          AND (p_category IS NULL OR r.category_code = p_category)
          -- An editor marked it as a duplicate of a report the warehouse holds: the other one counts.
          AND NOT (r.duplicate_of IS NOT NULL AND EXISTS (
                SELECT 1 FROM core.report o
                WHERE o.external_id = r.duplicate_of AND o.report_key <> r.report_key
                  AND o.duplicate_of IS DISTINCT FROM r.external_id))
        ORDER BY r.content_hash, r.report_key
    )
    SELECT m.report_key, m.event_month, m.event_date, m.region_code, m.locality_code,
           m.category_code, c.group_code, m.confidential
    FROM month_reports m
    JOIN ref.category c ON c.code = m.category_code
    JOIN ref.category_group g ON g.code = c.group_code AND g.counted
    LEFT JOIN core.legal_case lc ON lc.case_ref = m.case_ref
    WHERE c.group_code <> 'legal_claims'
       -- A legal claim counts once: in the report that first reported the case, as a new claim.
       OR (lc.first_report_key = m.report_key AND coalesce(m.case_stage, 'new_claim') = 'new_claim')
$$;
COMMENT ON FUNCTION core.counted_reports(date, text) IS 'Reports that count in the overview of the month containing p_month (only those of category p_category when given): counted groups only (context is narrated, never counted), one per normalized content, not those an editor marked as a duplicate of another report (core.report.duplicate_of), legal claims only when first reported as a new claim.';

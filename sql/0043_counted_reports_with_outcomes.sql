-- The obstruction table since 2019 counts appeals, cases sent to court and verdicts of the counted reports:
-- it looked each counted report up again by key in core.report (18,550 look-ups at ten years of history,
-- a third of its time). counted_reports already reads those rows; it now returns the three outcome flags
-- too. The counting rules are those of 0040, unchanged; the new columns come last, so callers that name
-- their columns read the same.

DROP FUNCTION core.counted_reports(date, text);

CREATE FUNCTION core.counted_reports(p_month date, p_category text DEFAULT NULL)
RETURNS TABLE (report_key bigint, event_month date, event_date date, region_code text, locality_code text,
               category_code text, group_code text, confidential boolean, appealed_to_police boolean,
               sent_to_court boolean, verdict_for_journalist boolean)
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
           m.category_code, c.group_code, m.confidential, m.appealed_to_police, m.sent_to_court,
           m.verdict_for_journalist
    FROM month_reports m
    JOIN ref.category c ON c.code = m.category_code
    JOIN ref.category_group g ON g.code = c.group_code AND g.counted
    LEFT JOIN core.legal_case lc ON lc.case_ref = m.case_ref
    WHERE c.group_code <> 'legal_claims'
       -- A legal claim counts once: in the report that first reported the case, as a new claim.
       OR (lc.first_report_key = m.report_key AND coalesce(m.case_stage, 'new_claim') = 'new_claim')
$$;
COMMENT ON FUNCTION core.counted_reports(date, text) IS 'Reports that count in the overview of the month containing p_month (only those of category p_category when given): counted groups only (context is narrated, never counted), one per normalized content, not those an editor marked as a duplicate of another report (core.report.duplicate_of), legal claims only when first reported as a new claim. Returns each report''s outcome flags (appeal to law enforcement, sent to court, verdict for the journalist) with it.';

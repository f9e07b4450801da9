-- Rebuild core.legal_case from the case events staged in legal_case_event_input (one row per report on a case,
-- sequence 1 = the report that first reported it): the first report, and the latest word on every detail.
WITH last_outcome AS (
    SELECT DISTINCT ON (case_ref) case_ref, sequence, outcome
    FROM legal_case_event_input
    WHERE outcome IS NOT NULL
    ORDER BY case_ref, sequence DESC
),
standing_outcome AS (
    -- An outcome stands unless a later report shows the case going on (a new hearing, an appeal).
    SELECT o.case_ref, o.outcome
    FROM last_outcome o
    WHERE NOT EXISTS (
        SELECT 1 FROM legal_case_event_input later
        WHERE later.case_ref = o.case_ref AND later.sequence > o.sequence
          AND later.stage IN ('new_claim', 'investigation', 'hearing', 'appeal')
    )
)
INSERT INTO core.legal_case (case_ref, category_code, first_report_key, first_reported_month, first_event_date,
                             latest_event_date, counted, kind, current_stage, plaintiff, plaintiff_type, outlet,
                             journalist, court, legal_article, article_normalized, amount_claimed_kzt,
                             amount_awarded_kzt, outcome, reports)
SELECT e.case_ref,
       (array_agg(e.category_code ORDER BY e.sequence))[1],
       (array_agg(e.report_key ORDER BY e.sequence))[1],
       min(e.event_month),
       min(e.event_date),
       max(e.event_date),
       bool_or(e.counted),
       -- The kind the latest named article gives, else the one the latest report's category gives.
       (array_agg(e.kind ORDER BY e.article_normalized IS NULL, e.sequence DESC))[1],
       (array_agg(e.stage ORDER BY e.sequence DESC) FILTER (WHERE e.stage IS NOT NULL))[1],
       (array_agg(e.plaintiff ORDER BY e.sequence DESC) FILTER (WHERE e.plaintiff IS NOT NULL))[1],
       (array_agg(e.plaintiff_type ORDER BY e.sequence DESC) FILTER (WHERE e.plaintiff_type IS NOT NULL))[1],
       (array_agg(e.outlet ORDER BY e.sequence DESC) FILTER (WHERE e.outlet IS NOT NULL))[1],
       (array_agg(e.journalist ORDER BY e.sequence DESC) FILTER (WHERE e.journalist IS NOT NULL))[1],
       (array_agg(e.court ORDER BY e.sequence DESC) FILTER (WHERE e.court IS NOT NULL))[1],
       (array_agg(e.legal_article ORDER BY e.sequence DESC) FILTER (WHERE e.legal_article IS NOT NULL))[1],
       (array_agg(e.article_normalized ORDER BY e.sequence DESC) FILTER (WHERE e.article_normalized IS NOT NULL))[1],
       (array_agg(e.amount_claimed_kzt ORDER BY e.sequence DESC) FILTER (WHERE e.amount_claimed_kzt IS NOT NULL))[1],
       (array_agg(e.amount_awarded_kzt ORDER BY e.sequence DESC) FILTER (WHERE e.amount_awarded_kzt IS NOT NULL))[1],
       min(s.outcome),
       count(*)
FROM legal_case_event_input e
LEFT JOIN standing_outcome s ON s.case_ref = e.case_ref
GROUP BY e.case_ref;

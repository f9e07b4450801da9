-- Obstruction of journalists' lawful activity per year since obstruction_since (include/data/organisation.yaml),
-- up to the end of the month, by the counting rules of core.counted_reports; every year present, zero included.
INSERT INTO mart_stage.obstruction_by_year (run_id, as_of_month, year, reports, appeals_to_law_enforcement,
                                            sent_to_court, verdicts_for_journalists)
WITH obstruction AS (
    SELECT r.event_date, r.appealed_to_police, r.sent_to_court, r.verdict_for_journalist
    FROM generate_series(%(obstruction_since)s::date, %(month)s::date, interval '1 month') AS s(month)
    CROSS JOIN LATERAL core.counted_reports(s.month::date, 'obstruction_lawful_activity') r
)
SELECT %(run_id)s, %(month)s::date, y.year,
       count(o.event_date),
       count(*) FILTER (WHERE o.appealed_to_police),
       count(*) FILTER (WHERE o.sent_to_court),
       count(*) FILTER (WHERE o.verdict_for_journalist)
FROM generate_series(extract(year FROM %(obstruction_since)s::date)::int, extract(year FROM %(month)s::date)::int) AS y(year)
LEFT JOIN obstruction o ON extract(year FROM o.event_date)::int = y.year
GROUP BY y.year;

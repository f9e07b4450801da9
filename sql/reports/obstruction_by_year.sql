-- Obstruction of journalists' lawful activity since 2019, per year, up to the end of the month reported.
WITH obstruction AS (
    SELECT DISTINCT ON (content_hash) *
    FROM core.report
    WHERE category_code = 'obstruction_lawful_activity'
      AND event_date >= DATE '2019-01-01'
      AND event_month <= %(month)s::date
    ORDER BY content_hash, report_key
)
SELECT extract(year FROM event_date)::int AS year,
       count(*) AS reports,
       count(*) FILTER (WHERE appealed_to_police) AS appeals_to_law_enforcement,
       count(*) FILTER (WHERE sent_to_court) AS sent_to_court,
       count(*) FILTER (WHERE verdict_for_journalist) AS verdicts_for_journalists
FROM obstruction
GROUP BY 1
ORDER BY 1;

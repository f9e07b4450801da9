-- Reports per counted group over the twelve months ending with the month reported: the eleven months
-- before it counted from core by the same rules as the marts (so a month that was never built on its
-- own still shows what it holds), the month itself from this run's staged mart.
SELECT m.month::date AS month, r.group_code, count(*)::int AS reports
FROM generate_series((%(month)s::date - interval '11 months')::date, (%(month)s::date - interval '1 month')::date,
                     interval '1 month') AS m(month)
CROSS JOIN LATERAL core.counted_reports(m.month::date) r
GROUP BY 1, 2
UNION ALL
SELECT s.month, s.group_code, s.reports
FROM mart_stage.monthly_group_counts s
WHERE s.run_id = %(run_id)s
ORDER BY 1, 2;

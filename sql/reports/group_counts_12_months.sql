-- Reports per counted group over the twelve months ending with the month reported: the eleven months
-- before it from the published mart, the month itself from this run's staged mart. A month never
-- published has no rows (a gap, not a zero).
SELECT p.month, p.group_code, p.reports
FROM mart.monthly_group_counts p
WHERE p.month >= (%(month)s::date - interval '11 months')::date AND p.month < %(month)s::date
UNION ALL
SELECT s.month, s.group_code, s.reports
FROM mart_stage.monthly_group_counts s
WHERE s.run_id = %(run_id)s
ORDER BY 1, 2;

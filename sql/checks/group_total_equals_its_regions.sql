-- Every counted report has exactly one region: per group, the regions add up to the headline count.
SELECT 'group ' || g.group_code || ': ' || g.reports || ' reports, but the regions add up to ' || coalesce(sum(r.reports), 0)
FROM mart_stage.monthly_group_counts g
LEFT JOIN mart_stage.monthly_region_counts r ON r.run_id = g.run_id AND r.group_code = g.group_code
WHERE g.run_id = %(run_id)s
GROUP BY g.group_code, g.reports
HAVING g.reports <> coalesce(sum(r.reports), 0);

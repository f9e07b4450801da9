-- A group's headline count must equal the sum of its categories.
SELECT 'group ' || g.group_code || ': ' || g.reports || ' reports, but its categories add up to ' || coalesce(sum(c.reports), 0)
FROM mart_stage.monthly_group_counts g
LEFT JOIN mart_stage.monthly_category_counts c ON c.run_id = g.run_id AND c.group_code = g.group_code
WHERE g.run_id = %(run_id)s
GROUP BY g.group_code, g.reports
HAVING g.reports <> coalesce(sum(c.reports), 0);

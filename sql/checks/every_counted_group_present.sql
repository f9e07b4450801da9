-- The headline lists every counted group, even with zero reports.
SELECT 'counted group ' || g.code || ' is missing from the headline counts'
FROM ref.category_group g
WHERE g.counted
  AND NOT EXISTS (SELECT 1 FROM mart_stage.monthly_group_counts s WHERE s.run_id = %(run_id)s AND s.group_code = g.code);

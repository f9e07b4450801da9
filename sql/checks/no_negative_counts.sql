-- Counts are never negative.
SELECT kind || ' ' || code || ' has a negative count (' || reports || ')'
FROM (
    SELECT 'group' AS kind, group_code AS code, reports FROM mart_stage.monthly_group_counts WHERE run_id = %(run_id)s
    UNION ALL
    SELECT 'category', category_code, reports FROM mart_stage.monthly_category_counts WHERE run_id = %(run_id)s
    UNION ALL
    SELECT 'region', region_code, reports FROM mart_stage.monthly_region_counts WHERE run_id = %(run_id)s
) counts
WHERE reports < 0;

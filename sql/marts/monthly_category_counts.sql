-- Counted reports per category (categories with at least one report).
INSERT INTO mart_stage.monthly_category_counts (run_id, month, group_code, category_code, reports)
SELECT %(run_id)s, %(month)s::date, r.group_code, r.category_code, count(*)
FROM core.counted_reports(%(month)s::date) r
GROUP BY r.group_code, r.category_code;

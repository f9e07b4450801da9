-- Headline counts: every counted group, zero included.
INSERT INTO mart_stage.monthly_group_counts (run_id, month, group_code, reports)
SELECT %(run_id)s, %(month)s::date, g.code, count(r.report_key)
FROM ref.category_group g
LEFT JOIN core.counted_reports(%(month)s::date) r ON r.group_code = g.code
WHERE g.counted
GROUP BY g.code;

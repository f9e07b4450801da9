-- Counted reports per region and group.
INSERT INTO mart_stage.monthly_region_counts (run_id, month, region_code, group_code, reports)
SELECT %(run_id)s, %(month)s::date, r.region_code, r.group_code, count(*)
FROM core.counted_reports(%(month)s::date) r
GROUP BY r.region_code, r.group_code;

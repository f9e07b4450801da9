-- Counted reports per region of the month, from this run's staged mart, with the region's names.
SELECT r.code, r.name_en, r.name_ru, sum(s.reports)::int AS reports
FROM mart_stage.monthly_region_counts s
JOIN ref.region r ON r.code = s.region_code
WHERE s.run_id = %(run_id)s
GROUP BY r.code, r.name_en, r.name_ru
ORDER BY reports DESC, r.name_en;

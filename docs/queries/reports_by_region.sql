-- Where it happened: counted reports per region in a month, most affected first.
SELECT r.name_en AS region, r.name_ru AS "регион", sum(c.reports) AS reports
FROM mart.monthly_region_counts c
JOIN ref.region r ON r.code = c.region_code
WHERE c.month = DATE '2024-03-01'
GROUP BY r.code, r.name_en, r.name_ru
ORDER BY reports DESC, r.name_en;

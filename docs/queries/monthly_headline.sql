-- Headline of a month's overview: counted reports per group, in the order the overview prints them.
-- Change the month (its first day) to report on another one.
SELECT g.label_en AS "group", g.label_ru AS "группа", c.reports
FROM mart.monthly_group_counts c
JOIN ref.category_group g ON g.code = c.group_code
WHERE c.month = DATE '2024-03-01'
ORDER BY g.sort_order;

-- Categories behind the headline: counted reports per category of a month, with each group's share.
SELECT g.label_en AS "group", cat.label_en AS category, c.reports,
       round(100.0 * c.reports / nullif(sum(c.reports) OVER (PARTITION BY c.group_code), 0), 1) AS pct_of_group
FROM mart.monthly_category_counts c
JOIN ref.category cat ON cat.code = c.category_code
JOIN ref.category_group g ON g.code = c.group_code
WHERE c.month = DATE '2024-03-01'
ORDER BY g.sort_order, c.reports DESC, cat.sort_order;

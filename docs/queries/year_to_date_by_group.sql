-- Year to date: counted reports per group from January to the given month, this year against last year.
WITH params AS (SELECT DATE '2024-03-01' AS upto)
SELECT g.label_en AS "group",
       sum(c.reports) FILTER (WHERE c.month BETWEEN date_trunc('year', p.upto)::date AND p.upto) AS this_year,
       sum(c.reports) FILTER (WHERE c.month BETWEEN (date_trunc('year', p.upto) - interval '1 year')::date
                                                AND (p.upto - interval '1 year')::date) AS last_year
FROM mart.monthly_group_counts c
JOIN ref.category_group g ON g.code = c.group_code
CROSS JOIN params p
GROUP BY g.code, g.label_en, g.sort_order
ORDER BY g.sort_order;

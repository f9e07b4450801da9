-- Year-to-date counted reports per group: this year up to the month, and the same months a year earlier.
WITH months AS (
    SELECT m::date AS month, 'current' AS period
    FROM generate_series(date_trunc('year', %(month)s::date), %(month)s::date, interval '1 month') m
    UNION ALL
    SELECT m::date, 'previous'
    FROM generate_series(date_trunc('year', %(month)s::date) - interval '1 year',
                         %(month)s::date - interval '1 year', interval '1 month') m
),
counted AS (
    SELECT months.period, r.group_code
    FROM months, core.counted_reports(months.month) r
)
SELECT g.code,
       count(c.group_code) FILTER (WHERE c.period = 'current') AS current_ytd,
       count(c.group_code) FILTER (WHERE c.period = 'previous') AS previous_ytd
FROM ref.category_group g
LEFT JOIN counted c ON c.group_code = g.code
WHERE g.counted
GROUP BY g.code, g.sort_order
ORDER BY g.sort_order;

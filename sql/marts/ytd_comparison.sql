-- Year to date against the same months a year earlier, the month against the previous month and against the
-- same month a year earlier: per counted group (every one, zero included) and per category counted in any of
-- these periods. Reads the counted reports of at most 24 months, whatever the length of the history.
INSERT INTO mart_stage.ytd_comparison (run_id, month, group_code, category_code, ytd_reports, prev_ytd_reports, ratio,
                                       month_reports, prev_month_reports, month_on_month_ratio,
                                       same_month_last_year_reports, year_on_year_ratio)
WITH bounds AS (
    SELECT %(month)s::date AS m,
           date_trunc('year', %(month)s::date)::date AS jan,
           (date_trunc('year', %(month)s::date) - interval '1 year')::date AS prev_jan,
           (%(month)s::date - interval '1 year')::date AS prev_m,
           (%(month)s::date - interval '1 month')::date AS prev_month
),
counted AS (
    SELECT r.event_month AS month, r.group_code, r.category_code
    FROM bounds b
    CROSS JOIN generate_series(b.prev_jan, b.m, interval '1 month') AS s(month)
    CROSS JOIN LATERAL core.counted_reports(s.month::date) r
),
figures AS (
    SELECT c.group_code, c.category_code, GROUPING(c.category_code) = 1 AS is_group,
           count(*) FILTER (WHERE c.month BETWEEN b.jan AND b.m) AS ytd,
           count(*) FILTER (WHERE c.month BETWEEN b.prev_jan AND b.prev_m) AS prev_ytd,
           count(*) FILTER (WHERE c.month = b.m) AS this_month,
           count(*) FILTER (WHERE c.month = b.prev_month) AS prev_month,
           count(*) FILTER (WHERE c.month = b.prev_m) AS same_month_ly
    FROM counted c CROSS JOIN bounds b
    GROUP BY GROUPING SETS ((c.group_code), (c.group_code, c.category_code))
),
rows AS (
    SELECT g.code AS group_code, NULL::text AS category_code,
           coalesce(f.ytd, 0) AS ytd, coalesce(f.prev_ytd, 0) AS prev_ytd, coalesce(f.this_month, 0) AS this_month,
           coalesce(f.prev_month, 0) AS prev_month, coalesce(f.same_month_ly, 0) AS same_month_ly
    FROM ref.category_group g
    LEFT JOIN figures f ON f.group_code = g.code AND f.is_group
    WHERE g.counted
    UNION ALL
    SELECT f.group_code, f.category_code, f.ytd, f.prev_ytd, f.this_month, f.prev_month, f.same_month_ly
    FROM figures f
    WHERE NOT f.is_group AND f.ytd + f.prev_ytd + f.this_month + f.prev_month + f.same_month_ly > 0
)
SELECT %(run_id)s, %(month)s::date, group_code, category_code,
       ytd, prev_ytd, round(ytd::numeric / nullif(prev_ytd, 0), 3),
       this_month, prev_month, round(this_month::numeric / nullif(prev_month, 0), 3),
       same_month_ly, round(this_month::numeric / nullif(same_month_ly, 0), 3)
FROM rows;

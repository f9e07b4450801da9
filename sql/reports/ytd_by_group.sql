-- Year-to-date counted reports per counted group as staged by this run (mart.ytd_comparison): this year up to the
-- month against the same months a year earlier, and the month against the previous month and a year earlier.
SELECT g.code, y.ytd_reports AS current_ytd, y.prev_ytd_reports AS previous_ytd, y.ratio,
       y.month_reports, y.prev_month_reports, y.month_on_month_ratio,
       y.same_month_last_year_reports, y.year_on_year_ratio
FROM mart_stage.ytd_comparison y
JOIN ref.category_group g ON g.code = y.group_code
WHERE y.run_id = %(run_id)s AND y.category_code IS NULL
ORDER BY g.sort_order;

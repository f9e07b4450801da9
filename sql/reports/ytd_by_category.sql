-- Year-to-date counted reports per category as staged by this run (mart.ytd_comparison), with labels: e.g. the
-- legal claims by kind ("civil claims: 8, 2.7 times more than in the same period of 2023").
SELECT y.group_code, c.code, c.label_en, c.label_ru, y.ytd_reports AS current_ytd, y.prev_ytd_reports AS previous_ytd,
       y.ratio, y.month_reports, y.prev_month_reports, y.month_on_month_ratio,
       y.same_month_last_year_reports, y.year_on_year_ratio
FROM mart_stage.ytd_comparison y
JOIN ref.category c ON c.code = y.category_code
WHERE y.run_id = %(run_id)s
ORDER BY c.sort_order;

-- Staged category counts of one run, with labels, largest first within each group.
SELECT c.group_code, c.code, c.label_en, c.label_ru, s.reports
FROM mart_stage.monthly_category_counts s
JOIN ref.category c ON c.code = s.category_code
WHERE s.run_id = %(run_id)s
ORDER BY c.group_code, s.reports DESC, c.sort_order;

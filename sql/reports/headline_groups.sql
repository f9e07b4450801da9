-- Staged headline counts of one run, with the group labels, in the overview's order.
SELECT g.code, g.label_en, g.label_ru, s.reports
FROM mart_stage.monthly_group_counts s
JOIN ref.category_group g ON g.code = s.group_code
WHERE s.run_id = %(run_id)s
ORDER BY g.sort_order;

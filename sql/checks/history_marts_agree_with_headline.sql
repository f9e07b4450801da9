-- The history marts of a run tell the same story as its headline counts.
SELECT 'ytd_comparison: group ' || y.group_code || ' has ' || y.month_reports || ' reports this month, the headline ' || g.reports
FROM mart_stage.ytd_comparison y
JOIN mart_stage.monthly_group_counts g ON g.run_id = y.run_id AND g.group_code = y.group_code
WHERE y.run_id = %(run_id)s AND y.category_code IS NULL AND y.month_reports <> g.reports
UNION ALL
SELECT 'ytd_comparison: category ' || y.category_code || ' has ' || y.month_reports || ' reports this month, the headline ' || coalesce(c.reports, 0)
FROM mart_stage.ytd_comparison y
LEFT JOIN mart_stage.monthly_category_counts c ON c.run_id = y.run_id AND c.category_code = y.category_code
WHERE y.run_id = %(run_id)s AND y.category_code IS NOT NULL AND y.month_reports <> coalesce(c.reports, 0)
UNION ALL
SELECT 'ytd_comparison: group ' || y.group_code || ' year to date ' || y.ytd_reports || ' is less than the month''s ' || y.month_reports
FROM mart_stage.ytd_comparison y
WHERE y.run_id = %(run_id)s AND y.ytd_reports < y.month_reports
UNION ALL
SELECT 'monthly_legal_claims: ' || coalesce(sum(l.new_cases), 0) || ' new cases, the headline ' || g.reports || ' legal claims'
FROM mart_stage.monthly_group_counts g
LEFT JOIN mart_stage.monthly_legal_claims l ON l.run_id = g.run_id
WHERE g.run_id = %(run_id)s AND g.group_code = 'legal_claims'
GROUP BY g.reports
HAVING coalesce(sum(l.new_cases), 0) <> g.reports
UNION ALL
SELECT 'refusals_by_perpetrator_type: ' || coalesce(sum(p.reports), 0) || ' refusals, the headline ' || coalesce(max(c.reports), 0)
FROM (SELECT %(run_id)s::text AS run_id) run
LEFT JOIN mart_stage.refusals_by_perpetrator_type p ON p.run_id = run.run_id
LEFT JOIN mart_stage.monthly_category_counts c ON c.run_id = run.run_id AND c.category_code = 'refusal_restriction_information'
HAVING coalesce(sum(p.reports), 0) <> coalesce(max(c.reports), 0)
UNION ALL
SELECT 'obstruction_by_year: ' || o.year || ' has ' || o.reports || ' reports but the month alone has ' || c.reports
FROM mart_stage.obstruction_by_year o
JOIN mart_stage.monthly_category_counts c ON c.run_id = o.run_id AND c.category_code = 'obstruction_lawful_activity'
WHERE o.run_id = %(run_id)s AND o.year = extract(year FROM c.month)::int AND o.reports < c.reports;

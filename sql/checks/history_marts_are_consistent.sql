-- Each history mart holds together on its own: parts never exceed their whole, shares add up to one.
SELECT 'obstruction_by_year ' || year || ': appeals, court cases or verdicts exceed the ' || reports || ' reports'
FROM mart_stage.obstruction_by_year
WHERE run_id = %(run_id)s
  AND greatest(appeals_to_law_enforcement, sent_to_court, verdicts_for_journalists) > reports
UNION ALL
SELECT 'ytd_comparison: the categories of ' || g.group_code || ' add up to ' || sum(c.ytd_reports) || ' year to date, the group ' || g.ytd_reports
FROM mart_stage.ytd_comparison g
JOIN mart_stage.ytd_comparison c ON c.run_id = g.run_id AND c.group_code = g.group_code AND c.category_code IS NOT NULL
WHERE g.run_id = %(run_id)s AND g.category_code IS NULL
GROUP BY g.group_code, g.ytd_reports, g.prev_ytd_reports
HAVING sum(c.ytd_reports) <> g.ytd_reports OR sum(c.prev_ytd_reports) <> g.prev_ytd_reports
UNION ALL
SELECT 'monthly_legal_claims: ' || claim_kind || ' ' || coalesce(article, '(no article)') || ' has more new cases this month than this year'
FROM mart_stage.monthly_legal_claims
WHERE run_id = %(run_id)s AND (new_cases > ytd_new_cases OR amount_claimed_kzt > ytd_amount_claimed_kzt)
UNION ALL
SELECT 'refusals_by_perpetrator_type: shares add up to ' || sum(share)
FROM mart_stage.refusals_by_perpetrator_type
WHERE run_id = %(run_id)s
HAVING abs(sum(share) - 1) > 0.0001 * count(*);

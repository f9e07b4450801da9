-- New legal claims per kind and article, this month and year to date, with the damages claimed, as staged by
-- this run (mart.monthly_legal_claims).
SELECT claim_kind, article, new_cases, amount_claimed_kzt, ytd_new_cases, ytd_amount_claimed_kzt
FROM mart_stage.monthly_legal_claims
WHERE run_id = %(run_id)s
ORDER BY CASE claim_kind WHEN 'civil' THEN 1 WHEN 'criminal' THEN 2 WHEN 'administrative' THEN 3 ELSE 4 END,
         article NULLS LAST;

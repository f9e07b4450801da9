-- Legal claims against journalists and outlets first reported in a month: who claims what from whom.
-- A case counts once, in the month it was first reported; later reports update its stage and count.
SELECT lc.case_ref, cat.label_en AS category, lc.plaintiff, lc.outlet, lc.amount_claimed_kzt,
       lc.current_stage, lc.latest_event_date, lc.reports AS reports_on_case
FROM core.legal_case lc
JOIN ref.category cat ON cat.code = lc.category_code
WHERE lc.first_reported_month = DATE '2024-03-01'
ORDER BY lc.amount_claimed_kzt DESC NULLS LAST, lc.case_ref;

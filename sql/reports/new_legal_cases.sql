-- The month's new legal claims (the counted first report of each case), with what the case knows now; confidential
-- reports are counted but never described.
SELECT e.case_ref, e.event_date, lc.kind, lc.article_normalized, lc.legal_article, lc.plaintiff, lc.plaintiff_type,
       lc.outlet, lc.journalist, lc.court, lc.amount_claimed_kzt, lc.current_stage, lc.outcome, r.summary
FROM core.legal_case_event e
JOIN core.legal_case lc ON lc.case_ref = e.case_ref
JOIN core.report r ON r.report_key = e.report_key
JOIN core.counted_reports(%(month)s::date) cr ON cr.report_key = e.report_key
WHERE e.event_month = %(month)s::date AND e.counted AND NOT r.confidential
ORDER BY e.event_date, e.case_ref;

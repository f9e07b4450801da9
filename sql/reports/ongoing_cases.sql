-- Updates on cases under way: the month's reports on cases that are not counted again (a later report on a known
-- case, or a case first heard of at a later stage), with the case's first month, stage, outcome and amounts.
SELECT e.case_ref, e.event_date, e.sequence, e.stage, e.outcome, e.court, e.amount_awarded_kzt,
       lc.kind, lc.article_normalized, lc.first_reported_month, lc.plaintiff, lc.outlet, lc.amount_claimed_kzt,
       lc.current_stage, lc.outcome AS case_outcome, r.summary
FROM core.legal_case_event e
JOIN core.legal_case lc ON lc.case_ref = e.case_ref
JOIN core.report r ON r.report_key = e.report_key
WHERE e.event_month = %(month)s::date AND NOT e.counted AND NOT r.confidential
ORDER BY e.event_date, e.case_ref;

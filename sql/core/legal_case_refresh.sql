-- Rebuild core.legal_case from core.report: first report, latest known stage and details per case.
INSERT INTO core.legal_case (case_ref, category_code, first_report_key, first_reported_month,
                             latest_event_date, current_stage, plaintiff, outlet, legal_article,
                             amount_claimed_kzt, reports)
SELECT case_ref,
       (array_agg(category_code ORDER BY event_date, report_key))[1],
       (array_agg(report_key ORDER BY event_date, report_key))[1],
       min(event_month),
       max(event_date),
       (array_agg(case_stage ORDER BY event_date DESC, report_key DESC) FILTER (WHERE case_stage IS NOT NULL))[1],
       (array_agg(plaintiff ORDER BY event_date DESC, report_key DESC) FILTER (WHERE plaintiff IS NOT NULL))[1],
       (array_agg(outlet ORDER BY event_date DESC, report_key DESC) FILTER (WHERE outlet IS NOT NULL))[1],
       (array_agg(legal_article ORDER BY event_date DESC, report_key DESC) FILTER (WHERE legal_article IS NOT NULL))[1],
       (array_agg(amount_claimed_kzt ORDER BY event_date DESC, report_key DESC) FILTER (WHERE amount_claimed_kzt IS NOT NULL))[1],
       count(*)
FROM core.report
JOIN ref.category c ON c.code = core.report.category_code
WHERE case_ref IS NOT NULL AND c.group_code = 'legal_claims'
GROUP BY case_ref;

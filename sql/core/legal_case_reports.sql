-- Reports on legal cases (legal-claims group, with a case reference), one per normalized content (the same
-- report submitted twice is one event), with the row as loaded for the details only it carries.
SELECT r.report_key, r.case_ref, r.event_date, r.event_month, r.category_code, r.case_stage, r.legal_article,
       r.plaintiff, r.perpetrator_type, r.outlet, r.affected, r.amount_claimed_kzt, w.payload
FROM (
    SELECT DISTINCT ON (r.content_hash) r.*
    FROM core.report r
    JOIN ref.category c ON c.code = r.category_code
    WHERE r.case_ref IS NOT NULL AND c.group_code = 'legal_claims'
    ORDER BY r.content_hash, r.report_key
) r
LEFT JOIN raw.row w ON w.file_id = r.file_id AND w.sheet = r.sheet AND w.row_number = r.row_number
ORDER BY r.case_ref, r.event_date, r.report_key

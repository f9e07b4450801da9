-- Every report of the month that may be described (confidential ones never are), one per content, with
-- whether it is counted, for the narrative sections.
WITH month_reports AS (
    SELECT DISTINCT ON (r.content_hash) r.*
    FROM core.report r
    WHERE r.event_month = %(month)s::date AND NOT r.confidential
    ORDER BY r.content_hash, r.report_key
)
SELECT m.report_key, m.event_date, m.category_code, c.group_code, c.label_en AS category_en, c.label_ru AS category_ru,
       reg.code AS region_code, reg.name_en AS region_en, reg.name_ru AS region_ru, reg.kind AS region_kind,
       loc.name_en AS locality_en, loc.name_ru AS locality_ru, m.locality_name, m.outlet, m.summary, m.legal_article, m.case_ref,
       m.case_stage, m.plaintiff, m.amount_claimed_kzt, m.perpetrator_type,
       (cr.report_key IS NOT NULL) AS counted
FROM month_reports m
JOIN ref.category c ON c.code = m.category_code
JOIN ref.region reg ON reg.code = m.region_code
LEFT JOIN ref.locality loc ON loc.code = m.locality_code
LEFT JOIN core.counted_reports(%(month)s::date) cr ON cr.report_key = m.report_key
ORDER BY m.event_date, m.report_key;

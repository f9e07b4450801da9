-- Counted refusals of information per kind of who refused (violator type as written → ref.actor_type through
-- ref.actor_type_alias), with each kind's share of the month's refusals.
INSERT INTO mart_stage.refusals_by_perpetrator_type (run_id, month, perpetrator_type, reports, share)
WITH refusals AS (
    SELECT CASE WHEN rep.perpetrator_type IS NULL THEN 'unknown' ELSE coalesce(a.actor_type, 'other') END AS actor_type
    FROM core.counted_reports(%(month)s::date) r
    JOIN core.report rep ON rep.report_key = r.report_key
    LEFT JOIN ref.actor_type_alias a ON a.written = rep.perpetrator_type
    WHERE r.category_code = 'refusal_restriction_information'
)
SELECT %(run_id)s, %(month)s::date, actor_type, count(*), round(count(*)::numeric / sum(count(*)) OVER (), 4)
FROM refusals
GROUP BY actor_type;

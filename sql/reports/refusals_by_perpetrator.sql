-- Refusals of information by who refused, as staged by this run (mart.refusals_by_perpetrator_type), with labels
-- and whether the kind is among "state bodies, law enforcement and state-affiliated organisations".
SELECT t.code, t.label_en, t.label_ru, t.in_state_share, s.reports, s.share
FROM mart_stage.refusals_by_perpetrator_type s
JOIN ref.actor_type t ON t.code = s.perpetrator_type
WHERE s.run_id = %(run_id)s
ORDER BY s.reports DESC, t.sort_order;

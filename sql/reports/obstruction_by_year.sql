-- Obstruction of journalists' lawful activity per year since 2019, as staged by this run (mart.obstruction_by_year).
SELECT year, reports, appeals_to_law_enforcement, sent_to_court, verdicts_for_journalists
FROM mart_stage.obstruction_by_year
WHERE run_id = %(run_id)s
ORDER BY year;

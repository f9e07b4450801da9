-- Drop one run's staged marts (after publication, or when a run is retried).
DELETE FROM mart_stage.monthly_group_counts WHERE run_id = %(run_id)s;
DELETE FROM mart_stage.monthly_category_counts WHERE run_id = %(run_id)s;
DELETE FROM mart_stage.monthly_region_counts WHERE run_id = %(run_id)s;
DELETE FROM mart_stage.obstruction_by_year WHERE run_id = %(run_id)s;
DELETE FROM mart_stage.ytd_comparison WHERE run_id = %(run_id)s;
DELETE FROM mart_stage.monthly_legal_claims WHERE run_id = %(run_id)s;
DELETE FROM mart_stage.refusals_by_perpetrator_type WHERE run_id = %(run_id)s;

-- Drop one run's staged marts (after publication, or when a run is retried).
DELETE FROM mart_stage.monthly_group_counts WHERE run_id = %(run_id)s;
DELETE FROM mart_stage.monthly_category_counts WHERE run_id = %(run_id)s;
DELETE FROM mart_stage.monthly_region_counts WHERE run_id = %(run_id)s;

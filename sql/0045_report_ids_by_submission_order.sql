-- A report id given by several current files of a submission month belongs to the latest of them. "Latest" was
-- the order of loading, which is not the order of submission when the mapped tasks of one DAG run load their
-- files at the same time, and two loads at once could each miss the other's rows. Intake now orders files by
-- when the run that found them began, then by inbox path, and loads the files of one month one at a time (an
-- advisory lock per month), so the outcome no longer depends on which task finishes first.

ALTER TABLE raw.file ADD COLUMN submitted_at timestamptz;
UPDATE raw.file SET submitted_at = loaded_at;
ALTER TABLE raw.file ALTER COLUMN submitted_at SET DEFAULT now();
ALTER TABLE raw.file ALTER COLUMN submitted_at SET NOT NULL;
COMMENT ON COLUMN raw.file.submitted_at IS 'When the intake run that found this version began (the DAG run''s start for a mapped task, the start of the command otherwise). With inbox_path it orders the files of a submission month: of two current files giving the same report id, the later one''s row stands and the other''s is in raw.row_replacement, whichever was loaded first.';

-- Monthly summaries: published tables (mart) and their per-run staging copies (mart_stage).
CREATE TABLE mart.monthly_group_counts (
    month       date NOT NULL,
    group_code  text NOT NULL REFERENCES ref.category_group (code),
    reports     integer NOT NULL CHECK (reports >= 0),
    PRIMARY KEY (month, group_code)
);
COMMENT ON TABLE mart.monthly_group_counts IS 'Headline counts of the monthly overview: reports per counted group, by event month. Context items are never counted; a legal claim counts once, in the month it was first reported; the same report submitted twice counts once.';
COMMENT ON COLUMN mart.monthly_group_counts.month IS 'First day of the event month.';
COMMENT ON COLUMN mart.monthly_group_counts.group_code IS 'Group code (ref.category_group).';
COMMENT ON COLUMN mart.monthly_group_counts.reports IS 'Number of counted reports; zero rows are present for every counted group.';

CREATE TABLE mart.monthly_category_counts (
    month          date NOT NULL,
    group_code     text NOT NULL REFERENCES ref.category_group (code),
    category_code  text NOT NULL REFERENCES ref.category (code),
    reports        integer NOT NULL CHECK (reports >= 0),
    PRIMARY KEY (month, category_code)
);
COMMENT ON TABLE mart.monthly_category_counts IS 'Counted reports per category and event month (categories with at least one report). Per group they add up to mart.monthly_group_counts.';
COMMENT ON COLUMN mart.monthly_category_counts.month IS 'First day of the event month.';
COMMENT ON COLUMN mart.monthly_category_counts.group_code IS 'Group the category rolls up into.';
COMMENT ON COLUMN mart.monthly_category_counts.category_code IS 'Category code (ref.category).';
COMMENT ON COLUMN mart.monthly_category_counts.reports IS 'Number of counted reports.';

CREATE TABLE mart.monthly_region_counts (
    month        date NOT NULL,
    region_code  text NOT NULL REFERENCES ref.region (code),
    group_code   text NOT NULL REFERENCES ref.category_group (code),
    reports      integer NOT NULL CHECK (reports >= 0),
    PRIMARY KEY (month, region_code, group_code)
);
COMMENT ON TABLE mart.monthly_region_counts IS 'Counted reports per region, group and event month (non-zero rows only).';
COMMENT ON COLUMN mart.monthly_region_counts.month IS 'First day of the event month.';
COMMENT ON COLUMN mart.monthly_region_counts.region_code IS 'Region code (ref.region).';
COMMENT ON COLUMN mart.monthly_region_counts.group_code IS 'Group code (ref.category_group).';
COMMENT ON COLUMN mart.monthly_region_counts.reports IS 'Number of counted reports.';

CREATE TABLE mart.publication (
    month         date PRIMARY KEY,
    run_id        text NOT NULL,
    published_at  timestamptz NOT NULL DEFAULT now(),
    drafts        text[] NOT NULL,
    headline      jsonb NOT NULL
);
COMMENT ON TABLE mart.publication IS 'The latest successful publication of each month: which run published it, when, and where its drafts are.';
COMMENT ON COLUMN mart.publication.month IS 'First day of the month reported on.';
COMMENT ON COLUMN mart.publication.run_id IS 'Airflow run (or CLI run) that published the month.';
COMMENT ON COLUMN mart.publication.published_at IS 'When the marts and drafts were published.';
COMMENT ON COLUMN mart.publication.drafts IS 'Paths of the drafts written.';
COMMENT ON COLUMN mart.publication.headline IS 'Headline counts per group as published.';

CREATE TABLE mart_stage.monthly_group_counts (run_id text NOT NULL, LIKE mart.monthly_group_counts);
CREATE TABLE mart_stage.monthly_category_counts (run_id text NOT NULL, LIKE mart.monthly_category_counts);
CREATE TABLE mart_stage.monthly_region_counts (run_id text NOT NULL, LIKE mart.monthly_region_counts);
COMMENT ON TABLE mart_stage.monthly_group_counts IS 'Staged copy of mart.monthly_group_counts for one run, checked before publication.';
COMMENT ON TABLE mart_stage.monthly_category_counts IS 'Staged copy of mart.monthly_category_counts for one run, checked before publication.';
COMMENT ON TABLE mart_stage.monthly_region_counts IS 'Staged copy of mart.monthly_region_counts for one run, checked before publication.';

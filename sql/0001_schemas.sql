-- Schemas of the warehouse: one per stage of the data flow.
CREATE SCHEMA IF NOT EXISTS ref;
CREATE SCHEMA IF NOT EXISTS raw;
CREATE SCHEMA IF NOT EXISTS core;
CREATE SCHEMA IF NOT EXISTS quarantine;
CREATE SCHEMA IF NOT EXISTS mart;
CREATE SCHEMA IF NOT EXISTS mart_stage;

COMMENT ON SCHEMA ref IS 'Reference dimensions loaded from the product''s data files (taxonomy, gazetteer).';
COMMENT ON SCHEMA raw IS 'Input files and their rows exactly as read, before normalization; the lineage of everything else.';
COMMENT ON SCHEMA core IS 'Normalized, validated monitoring data: one row per accepted report, legal cases, registry notices.';
COMMENT ON SCHEMA quarantine IS 'Input rows and files that could not be accepted, with every reason.';
COMMENT ON SCHEMA mart IS 'Published monthly summaries: what the overview counts. Rebuilt per month, atomically.';
COMMENT ON SCHEMA mart_stage IS 'Marts of a monthly run before its checks pass; published into mart in one transaction.';

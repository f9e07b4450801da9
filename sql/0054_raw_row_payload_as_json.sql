-- raw.row.payload is written once for every row read, and read back only for lineage and a legal case's
-- details. As jsonb the server parsed each payload into its binary form on the way in, a fifth of its CPU
-- during an intake; as json it checks the text and keeps it as sent, which also keeps the keys in the order of
-- the file's columns. Nothing looks inside these payloads with jsonb's operators or indexes.
ALTER TABLE raw.row ALTER COLUMN payload TYPE json USING payload::json;

COMMENT ON COLUMN raw.row.payload IS 'Cell values as text, keyed by the header cell text, in the order of the file''s columns (json, kept as written).';

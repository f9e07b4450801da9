-- Pass 1 of the diff: every staged row against every entry of the source, by the fingerprint of the whole row
-- (all fields as read, IPs included, the XML-only fields when set; two 64-bit hashes of one text: fixed-width
-- keys for one hash full join, no per-row key building, no sorting of multi-value fields).
-- A row whose fingerprint an entry carries is that entry, unchanged: its key need not be built. Kept are only:
--   loose     rows no entry carries the fingerprint of (new, changed, reordered, or entries without a
--             fingerprint yet): diff.sql keys them;
--   relisted  rows that are a removed entry as it was;
--   back      rows that are an entry marked missing from the last valid snapshot;
--   unseen    listed entries no row carries the fingerprint of (missing, unless a loose row has their key).
-- The field separator chr(31) is the one the entry keys use.
CREATE TEMP TABLE registry_fp ON COMMIT DROP AS
SELECT CASE WHEN n.notice_key IS NULL THEN 'loose'
            WHEN s.fp_a IS NULL THEN 'unseen'
            WHEN n.status = 'removed' THEN 'relisted'
            ELSE 'back' END AS kind,
       n.notice_key, n.content_hash AS notice_content_hash, n.missing_since_snapshot,
       s.fp_a, s.fp_b, s.ip, s.domain, s.url, s.organization, s.decision_number, s.decision_date,
       s.entry_id, s.entry_hash, s.listed_at
FROM (
    SELECT r.ip, r.domain, r.url, r.organization, r.decision_number, r.decision_date, r.entry_id, r.entry_hash,
           r.listed_at, hashtextextended(r.whole, 0) AS fp_a, hashtextextended(r.whole, 1) AS fp_b
    FROM (
        SELECT st.*,
               coalesce(st.ip, '') || chr(31) || coalesce(st.domain, '') || chr(31) || coalesce(st.url, '') || chr(31)
               || coalesce(st.organization, '') || chr(31) || coalesce(st.decision_number, '') || chr(31)
               || coalesce(st.decision_date, '')
               || CASE WHEN st.entry_id IS NULL AND st.entry_hash IS NULL AND st.listed_at IS NULL THEN ''
                       ELSE chr(31) || coalesce(st.entry_id, '') || chr(31) || coalesce(st.entry_hash, '') || chr(31)
                            || coalesce(to_char(st.listed_at, 'YYYY-MM-DD"T"HH24:MI:SS.US'), '') END AS whole
        FROM registry_stage st
        OFFSET 0  -- the row text once, for both hashes
    ) r
    OFFSET 0  -- and the hashes once, not again in the join and filter
) s
FULL JOIN (SELECT notice_key, row_fp_a, row_fp_b, content_hash, status, missing_since_snapshot
           FROM core.registry_notice WHERE source = %(source)s) n
  ON n.row_fp_a = s.fp_a AND n.row_fp_b = s.fp_b
WHERE n.notice_key IS NULL
   OR (s.fp_a IS NULL AND n.status = 'listed')
   OR (s.fp_a IS NOT NULL AND (n.status = 'removed' OR n.missing_since_snapshot IS NOT NULL));

-- Pass 2 of the diff, over what fingerprint.sql left (a few percent of a register between two readings): key
-- the loose rows, one row per key, and compare with the source's entries; unchanged entries are not written.
-- Key: the XML entry id when there is one, else (organization, decision number, decision date, domains, URLs)
-- with multi-value fields sorted in byte order, so the key does not depend on the order the register lists
-- them in; IPs are left out, as the reference says. content_hash covers what may change under one key: the IPs
-- as written and the XML entry's own hash (IPs merely listed in another order: diff_reordered_ips.sql).
-- Several rows with one key (one of them possibly an entry recognised by its fingerprint) collapse to the one
-- with the smallest content hash; on a tie the entry's own row stays, so nothing changes.
-- Events: new, changed, relisted, back (present again after one missing snapshot), fingerprint (same key and
-- content from another line, or an entry without a fingerprint yet: no event, update_fingerprints.sql) and
-- missing (listed, absent from this snapshot). from_notice rows carry no fields: the entry's own stand.
-- (Before fingerprints, duplicate keys were compared row by row and could flip an entry to 'changed' and back
-- on every snapshot; now the smallest content hash per key is compared once.)
CREATE TEMP TABLE registry_diff ON COMMIT DROP AS
WITH loose AS MATERIALIZED (
    SELECT (CASE WHEN f.entry_id IS NOT NULL THEN md5('id' || chr(31) || f.entry_id)
            ELSE md5(coalesce(f.organization, '') || chr(31) || btrim(coalesce(f.decision_number, '')) || chr(31)
                     || coalesce(f.decision_date, '') || chr(31)
                     || coalesce(CASE WHEN strpos(f.domain, ' | ') > 0
                                      THEN (SELECT string_agg(v, ' | ' ORDER BY v COLLATE "C")
                                            FROM unnest(string_to_array(f.domain, ' | ')) v)
                                      ELSE f.domain END, '') || chr(31)
                     || coalesce(CASE WHEN strpos(f.url, ' | ') > 0
                                      THEN (SELECT string_agg(v, ' | ' ORDER BY v COLLATE "C")
                                            FROM unnest(string_to_array(f.url, ' | ')) v)
                                      ELSE f.url END, ''))
            END)::uuid AS notice_key,
           (md5(coalesce(f.entry_hash, '') || chr(31) || coalesce(f.ip, '')))::uuid AS content_hash,
           false AS from_notice, f.fp_a, f.fp_b, f.ip, f.domain, f.url, f.organization, f.decision_number,
           f.decision_date, f.entry_id, f.listed_at
    FROM registry_fp f
    WHERE f.kind = 'loose'
),
candidate AS (
    SELECT * FROM loose
    UNION ALL
    -- entries present as they were but removed or marked missing
    SELECT f.notice_key, f.notice_content_hash, true, f.fp_a, f.fp_b,
           NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
    FROM registry_fp f
    WHERE f.kind IN ('relisted', 'back')
    UNION ALL
    -- entries present as they were whose key a loose row has too
    SELECT n.notice_key, n.content_hash, true, n.row_fp_a, n.row_fp_b,
           NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
    FROM core.registry_notice n
    WHERE n.source = %(source)s AND n.notice_key IN (SELECT notice_key FROM loose)
      AND n.status = 'listed' AND n.missing_since_snapshot IS NULL
      AND NOT EXISTS (SELECT 1 FROM registry_fp u WHERE u.kind = 'unseen' AND u.notice_key = n.notice_key)
),
present AS MATERIALIZED (
    SELECT DISTINCT ON (notice_key) *
    FROM candidate
    ORDER BY notice_key, content_hash, from_notice DESC
)
SELECT p.notice_key,
       CASE WHEN n.notice_key IS NULL THEN 'new'
            WHEN n.status = 'removed' THEN 'relisted'
            WHEN n.content_hash <> p.content_hash THEN 'changed'
            WHEN n.missing_since_snapshot IS NOT NULL THEN 'back'
            ELSE 'fingerprint' END AS event,
       p.content_hash, n.content_hash AS previous_content_hash, n.missing_since_snapshot, p.from_notice,
       p.fp_a, p.fp_b, p.ip, p.domain, p.url, p.organization, p.decision_number, p.decision_date, p.entry_id,
       p.listed_at
FROM present p
LEFT JOIN core.registry_notice n ON n.source = %(source)s AND n.notice_key = p.notice_key
WHERE n.notice_key IS NULL OR n.status = 'removed' OR n.content_hash <> p.content_hash
   OR n.missing_since_snapshot IS NOT NULL
   OR n.row_fp_a IS DISTINCT FROM p.fp_a OR n.row_fp_b IS DISTINCT FROM p.fp_b
UNION ALL
SELECT u.notice_key, 'missing', NULL, u.notice_content_hash, u.missing_since_snapshot, true,
       NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
FROM registry_fp u
WHERE u.kind = 'unseen' AND NOT EXISTS (SELECT 1 FROM present p WHERE p.notice_key = u.notice_key);

-- Compare the staged snapshot with the current state of its source in one pass (a hash full join), and keep
-- only what differs: new keys, changed content, removed entries that came back (relisted), entries back after
-- one missing snapshot, and listed entries missing from this snapshot. Unchanged entries are not written at
-- all. Duplicate keys within a snapshot collapse to one row (smallest content hash).
CREATE TEMP TABLE registry_diff ON COMMIT DROP AS
SELECT DISTINCT ON (notice_key) *
FROM (
    SELECT coalesce(s.notice_key, n.notice_key) AS notice_key,
           CASE WHEN s.notice_key IS NULL THEN 'missing'
                WHEN n.notice_key IS NULL THEN 'new'
                WHEN n.status = 'removed' THEN 'relisted'
                WHEN n.content_hash <> s.content_hash THEN 'changed'
                ELSE 'back' END AS event,
           s.content_hash, n.content_hash AS previous_content_hash, n.missing_since_snapshot,
           s.ip, s.domain, s.url, s.organization, s.decision_number, s.decision_date, s.entry_id, s.listed_at
    FROM (
        SELECT st.*,
               CASE WHEN NOT st.multi_value THEN st.raw_key
               ELSE md5(coalesce(st.organization, '') || chr(31) || btrim(coalesce(st.decision_number, '')) || chr(31)
                        || coalesce(st.decision_date, '') || chr(31)
                        || coalesce((SELECT string_agg(v, ' | ' ORDER BY v COLLATE "C")
                                     FROM unnest(string_to_array(st.domain, ' | ')) v), '') || chr(31)
                        || coalesce((SELECT string_agg(v, ' | ' ORDER BY v COLLATE "C")
                                     FROM unnest(string_to_array(st.url, ' | ')) v), ''))::uuid
               END AS notice_key
        FROM registry_stage st
    ) s
    FULL JOIN (SELECT notice_key, content_hash, status, missing_since_snapshot
               FROM core.registry_notice WHERE source = %(source)s) n
      ON n.notice_key = s.notice_key
    WHERE CASE WHEN s.notice_key IS NULL THEN n.status = 'listed'
               ELSE n.notice_key IS NULL OR n.status = 'removed' OR n.content_hash <> s.content_hash
                    OR n.missing_since_snapshot IS NOT NULL END
) d
ORDER BY notice_key, content_hash;

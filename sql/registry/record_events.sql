-- History rows for the new, changed and relisted entries of this snapshot.
INSERT INTO core.registry_notice_event (source, notice_key, snapshot_id, event, content_hash, previous_content_hash, ips)
SELECT %(source)s, notice_key, %(snapshot)s, event, content_hash,
       CASE WHEN event = 'new' THEN NULL ELSE previous_content_hash END,
       coalesce(string_to_array(nullif(ip, ''), ' | '), '{}')
FROM registry_diff
WHERE event IN ('new', 'changed', 'relisted');

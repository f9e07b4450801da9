-- History rows for the new, changed and relisted entries of this snapshot, with the IPs the entries now have (an
-- entry relisted as it was has no fields in registry_diff: its own IPs, read after update_present.sql).
INSERT INTO core.registry_notice_event (source, notice_key, snapshot_id, event, content_hash, previous_content_hash, ips)
SELECT %(source)s, d.notice_key, %(snapshot)s, d.event, d.content_hash,
       CASE WHEN d.event = 'new' THEN NULL ELSE d.previous_content_hash END,
       CASE WHEN d.from_notice
            THEN (SELECT n.ips FROM core.registry_notice n WHERE n.source = %(source)s AND n.notice_key = d.notice_key)
            ELSE coalesce(string_to_array(nullif(d.ip, ''), ' | '), '{}') END
FROM registry_diff d
WHERE d.event IN ('new', 'changed', 'relisted');

-- A "changed" entry whose IPs are the same set as before, only listed in another order, is no change: it is
-- marked 'reordered' (content hash updated, no history row).
UPDATE registry_diff d
SET event = 'reordered'
FROM core.registry_notice n
WHERE d.event = 'changed' AND d.entry_id IS NULL AND n.source = %(source)s AND n.notice_key = d.notice_key
  AND ARRAY(SELECT v FROM unnest(n.ips) v ORDER BY v COLLATE "C")
    = ARRAY(SELECT v FROM unnest(coalesce(string_to_array(nullif(d.ip, ''), ' | '), '{}')) v ORDER BY v COLLATE "C");

-- Entries read from another line than last time with the same key and content (domains or URLs listed in
-- another order; an entry loaded before fingerprints were kept): no event and no change of status or last
-- change, but the entry takes the fields and the fingerprint of the line now read. An entry always holds the
-- fields of the line whose fingerprint it carries, so a later snapshot that recognises that line by its
-- fingerprint alone (update_present.sql, from_notice) leaves the entry as a rewrite from the line would.
UPDATE core.registry_notice n
SET row_fp_a = d.fp_a,
    row_fp_b = d.fp_b,
    ips = coalesce(string_to_array(nullif(d.ip, ''), ' | '), '{}'),
    domains = coalesce(string_to_array(nullif(d.domain, ''), ' | '), '{}'),
    urls = coalesce(string_to_array(nullif(d.url, ''), ' | '), '{}'),
    authority = nullif(btrim(d.organization), ''),
    decision_number = nullif(btrim(d.decision_number), ''),
    decision_date = core.registry_date(btrim(d.decision_date)),
    entry_id = coalesce(d.entry_id, n.entry_id),
    listed_at = coalesce(d.listed_at, n.listed_at)
FROM registry_diff d
WHERE n.source = %(source)s AND n.notice_key = d.notice_key AND d.event = 'fingerprint';

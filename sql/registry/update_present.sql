-- Entries present again or changed: new content, listed, no longer missing. An entry merely back after one
-- missing snapshot ('back') or with its IPs reordered keeps its last change.
UPDATE core.registry_notice n
SET content_hash = d.content_hash,
    ips = coalesce(string_to_array(nullif(d.ip, ''), ' | '), '{}'),
    domains = coalesce(string_to_array(nullif(d.domain, ''), ' | '), '{}'),
    urls = coalesce(string_to_array(nullif(d.url, ''), ' | '), '{}'),
    authority = nullif(btrim(d.organization), ''),
    decision_number = nullif(btrim(d.decision_number), ''),
    decision_date = core.registry_date(btrim(d.decision_date)),
    entry_id = coalesce(d.entry_id, n.entry_id),
    listed_at = coalesce(d.listed_at, n.listed_at),
    status = 'listed',
    removed_at = NULL,
    missing_since_snapshot = NULL,
    last_changed_snapshot = CASE WHEN d.event IN ('back', 'reordered') THEN n.last_changed_snapshot ELSE %(snapshot)s END,
    last_changed_at = CASE WHEN d.event IN ('back', 'reordered') THEN n.last_changed_at ELSE %(taken_at)s END
FROM registry_diff d
WHERE n.source = %(source)s AND n.notice_key = d.notice_key AND d.event IN ('changed', 'relisted', 'back', 'reordered');

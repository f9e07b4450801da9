-- Entries present again or changed: new content, listed, no longer missing, and the fingerprint of the row they
-- now stand for. An entry present as it was (from_notice: recognised by its fingerprint) keeps its fields; one
-- merely back after one missing snapshot ('back') or with its IPs reordered keeps its last change.
UPDATE core.registry_notice n
SET content_hash = d.content_hash,
    row_fp_a = d.fp_a,
    row_fp_b = d.fp_b,
    ips = CASE WHEN d.from_notice THEN n.ips ELSE coalesce(string_to_array(nullif(d.ip, ''), ' | '), '{}') END,
    domains = CASE WHEN d.from_notice THEN n.domains ELSE coalesce(string_to_array(nullif(d.domain, ''), ' | '), '{}') END,
    urls = CASE WHEN d.from_notice THEN n.urls ELSE coalesce(string_to_array(nullif(d.url, ''), ' | '), '{}') END,
    authority = CASE WHEN d.from_notice THEN n.authority ELSE nullif(btrim(d.organization), '') END,
    decision_number = CASE WHEN d.from_notice THEN n.decision_number ELSE nullif(btrim(d.decision_number), '') END,
    decision_date = CASE WHEN d.from_notice THEN n.decision_date ELSE core.registry_date(btrim(d.decision_date)) END,
    entry_id = coalesce(d.entry_id, n.entry_id),
    listed_at = coalesce(d.listed_at, n.listed_at),
    status = 'listed',
    removed_at = NULL,
    missing_since_snapshot = NULL,
    last_changed_snapshot = CASE WHEN d.event IN ('back', 'reordered') THEN n.last_changed_snapshot ELSE %(snapshot)s END,
    last_changed_at = CASE WHEN d.event IN ('back', 'reordered') THEN n.last_changed_at ELSE %(taken_at)s END
FROM registry_diff d
WHERE n.source = %(source)s AND n.notice_key = d.notice_key AND d.event IN ('changed', 'relisted', 'back', 'reordered');

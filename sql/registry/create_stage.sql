-- Staging for one snapshot: rows as read, keys computed by PostgreSQL while COPY writes them (generated
-- columns, so there is no second pass over the rows). Temporary, hence not WAL-logged, and private to the
-- loading session. Key: the XML entry id when there is one, else (organization, decision number, decision
-- date, sorted domains, sorted URLs), IPs left out as the reference says. Content hash: what may change
-- under the same key (the sorted IPs, and the XML entry's own hash).
CREATE TEMP TABLE registry_stage (
    ip               text,
    domain           text,
    url              text,
    organization     text,
    decision_number  text,
    decision_date    text,
    entry_id         text,
    entry_hash       text,
    listed_at        timestamp,
    notice_key       uuid GENERATED ALWAYS AS ((
        CASE WHEN entry_id IS NOT NULL THEN md5('id' || chr(31) || entry_id)
        ELSE md5(coalesce(organization, '') || chr(31) || btrim(coalesce(decision_number, '')) || chr(31)
                 || coalesce(decision_date, '') || chr(31)
                 || CASE WHEN strpos(domain, ' | ') > 0 THEN core.registry_sorted_values(domain) ELSE coalesce(domain, '') END
                 || chr(31)
                 || CASE WHEN strpos(url, ' | ') > 0 THEN core.registry_sorted_values(url) ELSE coalesce(url, '') END)
        END)::uuid) STORED,
    content_hash     uuid GENERATED ALWAYS AS ((
        md5(coalesce(entry_hash, '') || chr(31)
            || CASE WHEN strpos(ip, ' | ') > 0 THEN core.registry_sorted_values(ip) ELSE coalesce(ip, '') END))::uuid) STORED
) ON COMMIT DROP;

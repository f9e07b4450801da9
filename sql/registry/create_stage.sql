-- Staging for one snapshot: rows as read. Temporary, hence not WAL-logged, and private to the loading
-- session. PostgreSQL computes the cheap parts of the key while COPY writes the rows (generated columns: no
-- second pass): raw_key hashes the key fields as written, and is the entry key itself whenever no domain or
-- URL field holds several values (most rows). For the others diff.sql sorts the values first, so the key does
-- not depend on the order the register lists them in. Key fields: the XML entry id when there is one, else
-- (organization, decision number, decision date, domains, URLs); IPs are left out, as the reference says.
-- content_hash covers what may change under one key: the IPs as written and the XML entry's own hash (IPs
-- merely listed in another order are recognised in diff.sql and are no change).
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
    raw_key          uuid GENERATED ALWAYS AS ((
        CASE WHEN entry_id IS NOT NULL THEN md5('id' || chr(31) || entry_id)
        ELSE md5(coalesce(organization, '') || chr(31) || btrim(coalesce(decision_number, '')) || chr(31)
                 || coalesce(decision_date, '') || chr(31) || coalesce(domain, '') || chr(31) || coalesce(url, ''))
        END)::uuid) STORED,
    multi_value      boolean GENERATED ALWAYS AS (
        entry_id IS NULL AND (strpos(domain, ' | ') > 0 OR strpos(url, ' | ') > 0)) STORED,
    content_hash     uuid GENERATED ALWAYS AS ((md5(coalesce(entry_hash, '') || chr(31) || coalesce(ip, '')))::uuid) STORED
) ON COMMIT DROP;

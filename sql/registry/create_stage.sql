-- Staging for one snapshot: rows as read, nothing computed while COPY writes them (the COPY runs as fast as a
-- plain one). Temporary, hence not WAL-logged and private to the loading session. fingerprint.sql compares the
-- rows with the entries already known by a fingerprint of each whole row; only rows it does not recognise are
-- keyed (diff.sql).
CREATE TEMP TABLE registry_stage (
    ip               text,
    domain           text,
    url              text,
    organization     text,
    decision_number  text,
    decision_date    text,
    entry_id         text,
    entry_hash       text,
    listed_at        timestamp
) ON COMMIT DROP;

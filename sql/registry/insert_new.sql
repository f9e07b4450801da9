-- Entries first seen in this snapshot.
INSERT INTO core.registry_notice (source, notice_key, entry_id, register, authority, decision_number, decision_date,
                                  domains, urls, ips, listed_at, content_hash, status,
                                  first_seen_snapshot, first_seen_at, last_changed_snapshot, last_changed_at,
                                  row_fp_a, row_fp_b)
SELECT %(source)s, notice_key, entry_id, %(register)s, nullif(btrim(organization), ''), nullif(btrim(decision_number), ''),
       core.registry_date(btrim(decision_date)),
       coalesce(string_to_array(nullif(domain, ''), ' | '), '{}'), coalesce(string_to_array(nullif(url, ''), ' | '), '{}'),
       coalesce(string_to_array(nullif(ip, ''), ' | '), '{}'), listed_at, content_hash, 'listed',
       %(snapshot)s, %(taken_at)s, %(snapshot)s, %(taken_at)s, fp_a, fp_b
FROM registry_diff
WHERE event = 'new';

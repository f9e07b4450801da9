-- New, changed and relisted entries of the snapshot whose text contains a watched domain (ASCII or Unicode,
-- any case): a superset of the entries that can match by label, checked host by host in Python. Read from the
-- entries as updated (a relisted entry recognised by its fingerprint has no fields in registry_diff).
SELECT d.notice_key, array_to_string(n.domains, ' | '), array_to_string(n.urls, ' | ')
FROM registry_diff d
JOIN core.registry_notice n ON n.source = %(source)s AND n.notice_key = d.notice_key
WHERE d.event IN ('new', 'changed', 'relisted')
  AND lower(array_to_string(n.domains, ' | ') || ' ' || array_to_string(n.urls, ' | ')) LIKE ANY (%(patterns)s);

-- New, changed and relisted entries of the snapshot whose text contains a watched domain (ASCII or Unicode,
-- any case): a superset of the entries that can match by label, checked host by host in Python.
SELECT notice_key, coalesce(domain, ''), coalesce(url, '')
FROM registry_diff
WHERE event IN ('new', 'changed', 'relisted')
  AND lower(coalesce(domain, '') || ' ' || coalesce(url, '')) LIKE ANY (%(patterns)s);

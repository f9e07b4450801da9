-- Every entry of every source whose text contains a watched domain: after a watchlist change.
SELECT source, notice_key, array_to_string(domains, ' | '), array_to_string(urls, ' | ')
FROM core.registry_notice
WHERE lower(array_to_string(domains, ' | ') || ' ' || array_to_string(urls, ' | ')) LIKE ANY (%(patterns)s);

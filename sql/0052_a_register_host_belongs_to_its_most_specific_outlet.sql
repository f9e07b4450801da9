-- A register entry's host under two outlets' domains (outlet A at example.kz, outlet B at news.example.kz) was
-- matched to both, so an entry for news.example.kz was listed for A and for B in core.registry_match, the review
-- view and the draft. As 0051 did for OONI's measured hosts, matching (include/presswatch/warehouse/
-- registry_load.py, match_entry) now goes host by host and gives each host or URL only to the most specific
-- watched domain that covers it; a register wildcard *.base also touches every outlet whose domain lies inside
-- base. An entry listing both example.kz and news.example.kz still touches both outlets.
--
-- The rules are part of the fingerprint each matching pass records, so the next ingest matches every entry
-- again with them (as after a watchlist change) and also sets the host and kind of the matches that stay. Until
-- then, the stored matches that certainly no longer hold are dropped here: a match of an entry to a domain D
-- when the entry also matches a domain under D and none of its hosts (domains as written, *.wildcards, URL
-- hosts; read as the matcher reads them: trimmed, lower case, no userinfo, port, trailing dot or www.) is
-- D's. A host this SQL cannot read as the matcher does (Unicode, %-escapes) keeps the match for the next pass.
WITH deeper AS (
    -- pairs of matches of one entry, the second's domain strictly under the first's
    SELECT DISTINCT m.source, m.notice_key, m.outlet_domain AS domain, d.outlet_domain AS deeper_domain
    FROM core.registry_match m
    JOIN core.registry_match d
      ON d.source = m.source AND d.notice_key = m.notice_key
     AND right(d.outlet_domain, length(m.outlet_domain) + 1) = '.' || m.outlet_domain
),
written AS (
    SELECT n.source, n.notice_key, left(v.value, 2) = '*.' AS wildcard,
           CASE WHEN left(v.value, 2) = '*.' THEN substr(v.value, 3) ELSE v.value END AS raw
    FROM core.registry_notice n
    CROSS JOIN LATERAL (
        SELECT lower(regexp_replace(d, '^\s+|\s+$', '', 'g')) FROM unnest(n.domains) d
        UNION ALL
        SELECT substring(regexp_replace(lower(regexp_replace(u, '^\s+|\s+$', '', 'g')), '^[a-z][a-z0-9+.-]*:/*', '')
                         FROM '^[^/?#\\]*')
        FROM unnest(n.urls) u
    ) v(value)
    WHERE (n.source, n.notice_key) IN (SELECT source, notice_key FROM deeper)
),
host AS (
    SELECT source, notice_key, wildcard, h AS host, h ~ '%' OR octet_length(h) <> length(h) AS unreadable
    FROM (
        SELECT source, notice_key, wildcard,
               regexp_replace(regexp_replace(rtrim(split_part(regexp_replace(raw, '^.*@', ''), ':', 1), '.'),
                                             '^www\.([^.]+\.)', '\1'),
                              '^\s+|\s+$', '', 'g') AS h
        FROM written
        WHERE raw IS NOT NULL AND raw <> ''
    ) cleaned
)
DELETE FROM core.registry_match m
WHERE EXISTS (SELECT 1 FROM deeper p
              WHERE p.source = m.source AND p.notice_key = m.notice_key AND p.domain = m.outlet_domain)
  AND NOT EXISTS (
      SELECT 1 FROM host h
      WHERE h.source = m.source AND h.notice_key = m.notice_key
        AND (h.unreadable
             -- *.host touches the outlets inside it
             OR (h.wildcard AND (m.outlet_domain = h.host
                                 OR right(m.outlet_domain, length(h.host) + 1) = '.' || h.host))
             -- a host (or a wildcard's base) under D and under none of the entry's domains below D
             OR ((h.host = m.outlet_domain OR right(h.host, length(m.outlet_domain) + 1) = '.' || m.outlet_domain)
                 AND NOT EXISTS (SELECT 1 FROM deeper p
                                 WHERE p.source = m.source AND p.notice_key = m.notice_key
                                   AND p.domain = m.outlet_domain
                                   AND (h.host = p.deeper_domain
                                        OR right(h.host, length(p.deeper_domain) + 1) = '.' || p.deeper_domain)))));

COMMENT ON TABLE core.registry_match IS 'Register entries that touch a monitored outlet: candidates for a report, listed in the draft, never counted on their own. Each host or URL of an entry belongs to the most specific watched domain that covers it: with example.kz for one outlet and news.example.kz for another, an entry for news.example.kz is the second''s only (an entry listing both hosts touches both; a register wildcard *.example.kz touches both, as it blocks both sites).';
COMMENT ON COLUMN core.registry_match.outlet_domain IS 'The watchlist domain that matched (punycode): the most specific one covering the matched host, or one inside a register wildcard. Only when one domain is listed for two outlets does a host have two outlets.';
COMMENT ON VIEW core.registry_review IS 'For editors: register entries touching a monitored outlet, offered as candidate reports (suggested category resource_account_blocking); a host is listed for the outlet with the most specific domain covering it, not also for an outlet at a parent domain. Nothing here is counted until an editor files a report.';
COMMENT ON TABLE core.registry_match_run IS 'Each matching pass: entries of one snapshot''s changes, or all entries when the watchlist or the matching rules changed.';
COMMENT ON COLUMN core.registry_match_run.watchlist_sha256 IS 'Fingerprint of the watchlist and the matching rules used (registry_load.match_fingerprint); another fingerprint than the last run''s triggers a pass over all entries.';
COMMENT ON COLUMN core.registry_match_run.scope IS 'changed (the snapshot''s new, changed and relisted entries) or all (every entry, after a change of the watchlist or of the matching rules).';

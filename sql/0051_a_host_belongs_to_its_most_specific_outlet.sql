-- A measured host under two outlets' domains (outlet A at example.kz, outlet B at news.example.kz) was matched
-- to both, so a measurement of news.example.kz counted once for each in core.ooni_outlet_measurement and the
-- draft. The matching (include/presswatch/warehouse/ooni_load.py, most_specific) now keeps, per host, only the
-- outlet domains with the most labels: the most specific one wins. The matches already stored are made to
-- agree here, so the view is right before the next load (which replaces them all anyway).
DELETE FROM core.ooni_host_match h
WHERE EXISTS (SELECT 1 FROM core.ooni_host_match o
              WHERE o.host = h.host
                AND length(o.outlet_domain) - length(replace(o.outlet_domain, '.', ''))
                    > length(h.outlet_domain) - length(replace(h.outlet_domain, '.', '')));

COMMENT ON TABLE core.ooni_host_match IS 'Measured hosts (core.ooni_measurement.host) that belong to a monitored outlet, by the same label-wise matching as register entries (include/presswatch/normalize/domains.py). A host under several outlets'' domains belongs to the one with the most specific (longest) domain: with example.kz for one outlet and news.example.kz for another, news.example.kz is the second''s only. Matched again from the whole table at every load, so it follows the watchlist.';
COMMENT ON COLUMN core.ooni_host_match.outlet_domain IS 'The watchlist domain that matched (punycode): the most specific of the domains the host lies under. Only when one domain is listed for two outlets does a host have two outlets.';
COMMENT ON VIEW core.ooni_outlet_measurement IS 'OONI measurements of monitored outlets, one row per measurement (strongest match kind): a host under several outlets'' domains is the outlet''s with the most specific domain, so no measurement counts twice (two rows only when one domain is listed for two outlets). Filter outcome = ''confirmed'' for confirmed blocking; ''anomaly'' is a sign only. measured_on is the date in Asia/Almaty.';
COMMENT ON COLUMN core.ooni_outlet_measurement.outlet_domain IS 'The watchlist domain that matched (punycode): the most specific one the host lies under.';

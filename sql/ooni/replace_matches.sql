-- The matching pass replaces core.ooni_host_match: matches no longer found (the watchlist changed) go, new ones
-- come, a match found again keeps its first_seen and is rewritten only when its outlet name or kind changed.
DELETE FROM core.ooni_host_match h
WHERE NOT EXISTS (SELECT 1 FROM ooni_match_stage s
                  WHERE s.host = h.host AND s.outlet_id = h.outlet_id AND s.outlet_domain = h.outlet_domain);

INSERT INTO core.ooni_host_match AS h (host, outlet_id, outlet, outlet_domain, matched_host_unicode, match_kind)
SELECT host, outlet_id, outlet, outlet_domain, matched_host_unicode, match_kind FROM ooni_match_stage
ON CONFLICT (host, outlet_id, outlet_domain) DO UPDATE
SET outlet = EXCLUDED.outlet, matched_host_unicode = EXCLUDED.matched_host_unicode, match_kind = EXCLUDED.match_kind
WHERE (h.outlet, h.matched_host_unicode, h.match_kind)
      IS DISTINCT FROM (EXCLUDED.outlet, EXCLUDED.matched_host_unicode, EXCLUDED.match_kind);

DROP TABLE ooni_match_stage;

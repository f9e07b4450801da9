-- New matches are added; a match found again keeps its first_seen and takes the current kind and host.
INSERT INTO core.registry_match (source, notice_key, outlet_id, outlet, outlet_domain, matched_host,
                                 matched_host_unicode, match_kind)
SELECT source, notice_key, outlet_id, outlet, outlet_domain, matched_host, matched_host_unicode, match_kind
FROM registry_match_stage
ON CONFLICT (source, notice_key, outlet_id, outlet_domain) DO UPDATE
SET outlet = EXCLUDED.outlet, matched_host = EXCLUDED.matched_host,
    matched_host_unicode = EXCLUDED.matched_host_unicode, match_kind = EXCLUDED.match_kind;

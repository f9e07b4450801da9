-- After matching every entry against a changed watchlist: every match that no longer holds goes.
DELETE FROM core.registry_match m
WHERE NOT EXISTS (SELECT 1 FROM registry_match_stage s
                  WHERE s.source = m.source AND s.notice_key = m.notice_key
                    AND s.outlet_id = m.outlet_id AND s.outlet_domain = m.outlet_domain);

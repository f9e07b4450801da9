-- After matching a snapshot's changed and relisted entries: their matches that no longer hold go.
DELETE FROM core.registry_match m
USING registry_diff d
WHERE m.source = %(source)s AND m.notice_key = d.notice_key AND d.event IN ('changed', 'relisted')
  AND NOT EXISTS (SELECT 1 FROM registry_match_stage s
                  WHERE s.source = m.source AND s.notice_key = m.notice_key
                    AND s.outlet_id = m.outlet_id AND s.outlet_domain = m.outlet_domain);

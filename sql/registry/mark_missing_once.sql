-- Valid snapshots only: listed entries missing for the first time are marked; one more valid snapshot
-- without them removes them.
UPDATE core.registry_notice n
SET missing_since_snapshot = %(snapshot)s
FROM registry_diff d
WHERE n.source = %(source)s AND n.notice_key = d.notice_key AND d.event = 'missing' AND d.missing_since_snapshot IS NULL;

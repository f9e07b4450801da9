-- Valid snapshots only, run after the entries present in this snapshot were updated (which clears their mark):
-- every entry still marked missing was missing from an earlier valid snapshot and from this one, so it is
-- removed, as of the first snapshot it was missing from. Also right for a snapshot identical to the last one.
WITH removed AS (
    UPDATE core.registry_notice n
    SET status = 'removed',
        removed_at = first_miss.taken_at,
        missing_since_snapshot = NULL,
        last_changed_snapshot = %(snapshot)s,
        last_changed_at = %(taken_at)s
    FROM core.registry_snapshot first_miss
    WHERE n.source = %(source)s
      AND n.status = 'listed'
      AND n.missing_since_snapshot IS NOT NULL
      AND first_miss.snapshot_id = n.missing_since_snapshot
    RETURNING n.notice_key, n.content_hash, n.ips
)
INSERT INTO core.registry_notice_event (source, notice_key, snapshot_id, event, content_hash, ips)
SELECT %(source)s, notice_key, %(snapshot)s, 'removed', content_hash, ips FROM removed;

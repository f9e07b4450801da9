-- When the source's last complete reading was taken: the next reading asks only for what was measured since
-- (less an overlap for measurements uploaded late), instead of the API's default window again.
SELECT max(fetched_at) FROM core.ooni_fetch WHERE source = %(source)s AND status = 'complete';

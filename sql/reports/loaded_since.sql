-- Reports of the month loaded after a moment (the previous draft version): why the numbers moved.
SELECT count(*)::int, count(DISTINCT file_id)::int
FROM core.report
WHERE event_month = %(month)s::date AND loaded_at > %(since)s::timestamptz;

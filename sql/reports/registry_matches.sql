-- Register entries touching a monitored outlet, for the month's draft (registry section). Which month a match
-- belongs to: the month of the blocking decision (decision_date), OR the month presswatch first saw the
-- listing (first_seen_at, in Asia/Almaty time). The first puts an order in the month it was made even when the
-- register is read later (as the demo's dump is); the second reports a listing in the month it appeared to
-- us when its decision is older or undated. So one listing may appear in two months' drafts; never counted.
-- One row per entry and outlet: the strongest match kind of the outlet's domains.
SELECT outlet, matched_host, register, authority, decision_number, decision_date, first_seen
FROM (
    SELECT DISTINCT ON (m.source, m.notice_key, m.outlet_id)
           m.outlet, m.matched_host_unicode AS matched_host, n.register, n.authority,
           coalesce(n.decision_number, 'б/н') AS decision_number, n.decision_date,
           (n.first_seen_at AT TIME ZONE 'Asia/Almaty')::date AS first_seen
    FROM core.registry_match m
    JOIN core.registry_notice n USING (source, notice_key)
    WHERE (n.decision_date >= %(month)s::date AND n.decision_date < (%(month)s::date + interval '1 month')::date)
       OR ((n.first_seen_at AT TIME ZONE 'Asia/Almaty')::date >= %(month)s::date
           AND (n.first_seen_at AT TIME ZONE 'Asia/Almaty')::date < (%(month)s::date + interval '1 month')::date)
    ORDER BY m.source, m.notice_key, m.outlet_id,
             array_position(ARRAY['exact', 'subdomain', 'register_wildcard', 'watchlist_wildcard', 'url_host'], m.match_kind)
) matches
ORDER BY outlet, decision_date NULLS LAST, decision_number;

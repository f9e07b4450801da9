-- Monitored outlets found in internet-blocking registers: candidates for a report, never counted on their own.
SELECT outlet, matched_host, register, authority, decision_number, decision_date, listing_status, first_seen_at
FROM core.registry_review
ORDER BY first_seen_at DESC, outlet;

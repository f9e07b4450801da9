-- OONI measurements that confirmed blocking of a monitored outlet in the month (Asia/Almaty dates), for the
-- registry section of the draft: one row per outlet, host and country measured from. Evidence for editors,
-- never counted. Anomalies without confirmation are not listed here (see ooni_anomaly_only.sql).
SELECT outlet, host, probe_cc,
       (SELECT string_agg('AS' || asn, ', ' ORDER BY asn) FROM unnest(array_agg(DISTINCT probe_asn)) AS asn) AS networks,
       count(*) AS measurements,
       min(measured_on) AS first_day, max(measured_on) AS last_day
FROM core.ooni_outlet_measurement
WHERE outcome = 'confirmed'
  AND measured_on >= %(month)s::date AND measured_on < (%(month)s::date + interval '1 month')::date
GROUP BY outlet, host, probe_cc
ORDER BY outlet, host, probe_cc;

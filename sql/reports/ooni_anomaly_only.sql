-- OONI measurements of monitored outlets in the month that showed an anomaly without a confirmation: a sign,
-- often a flaky network, never proof of blocking. The draft gives their number beside the confirmed ones.
SELECT count(*)
FROM core.ooni_outlet_measurement
WHERE outcome = 'anomaly'
  AND measured_on >= %(month)s::date AND measured_on < (%(month)s::date + interval '1 month')::date;

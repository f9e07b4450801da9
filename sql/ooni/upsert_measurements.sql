-- Merge the staged measurements by measurement_uid: a new one is inserted, a known one is updated only when a
-- value changed (OONI re-scores measurements), so reading the same pages again leaves every row as it was.
-- Optional values a listing may leave out (failure, scores, report_id, measurement_url) never erase known ones.
-- Returns how many were inserted and how many changed.
WITH merged AS (
    INSERT INTO core.ooni_measurement AS m (
        measurement_uid, source, test_name, input, host, host_unicode, probe_cc, probe_asn, measurement_start_time,
        anomaly, confirmed, failure, scores, report_id, measurement_url, first_fetch_id, changed_fetch_id)
    SELECT measurement_uid, %(source)s, test_name, input, host, host_unicode, probe_cc, probe_asn,
           measurement_start_time, anomaly, confirmed, failure, scores, report_id, measurement_url,
           %(fetch_id)s, %(fetch_id)s
    FROM ooni_stage
    ON CONFLICT (measurement_uid) DO UPDATE SET
        test_name = EXCLUDED.test_name,
        input = EXCLUDED.input,
        host = EXCLUDED.host,
        host_unicode = EXCLUDED.host_unicode,
        probe_cc = EXCLUDED.probe_cc,
        probe_asn = EXCLUDED.probe_asn,
        measurement_start_time = EXCLUDED.measurement_start_time,
        anomaly = EXCLUDED.anomaly,
        confirmed = EXCLUDED.confirmed,
        failure = coalesce(EXCLUDED.failure, m.failure),
        scores = coalesce(EXCLUDED.scores, m.scores),
        report_id = coalesce(EXCLUDED.report_id, m.report_id),
        measurement_url = coalesce(EXCLUDED.measurement_url, m.measurement_url),
        changed_fetch_id = EXCLUDED.changed_fetch_id,
        changed_at = now()
    WHERE (m.test_name, m.input, m.host, m.host_unicode, m.probe_cc, m.probe_asn, m.measurement_start_time,
           m.anomaly, m.confirmed, m.failure, m.scores, m.report_id, m.measurement_url)
          IS DISTINCT FROM
          (EXCLUDED.test_name, EXCLUDED.input, EXCLUDED.host, EXCLUDED.host_unicode, EXCLUDED.probe_cc,
           EXCLUDED.probe_asn, EXCLUDED.measurement_start_time, EXCLUDED.anomaly, EXCLUDED.confirmed,
           coalesce(EXCLUDED.failure, m.failure), coalesce(EXCLUDED.scores, m.scores),
           coalesce(EXCLUDED.report_id, m.report_id), coalesce(EXCLUDED.measurement_url, m.measurement_url))
    RETURNING (xmax = 0) AS inserted
)
SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM merged;

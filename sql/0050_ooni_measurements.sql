-- OONI measurements: evidence that a site is actually blocked inside a country, as OONI Probe users measured
-- it (the measurements API, test web_connectivity). Where the registers say a site is ordered blocked, these
-- say whether it was: core.ooni_measurement keeps every measurement read (keyed by OONI's measurement_uid,
-- so reading the same pages again changes nothing), core.ooni_host_match the measured hosts that are a
-- monitored outlet's, and core.ooni_outlet_measurement joins the two for analysts and the draft.
-- Loaded by include/presswatch/ooni.py from the HTTP sources of format "ooni" (off unless configured).

CREATE TABLE core.ooni_fetch (
    fetch_id        bigserial PRIMARY KEY,
    source          text NOT NULL,
    url             text NOT NULL,
    status          text NOT NULL CHECK (status IN ('complete', 'partial', 'failed')),
    pages           integer NOT NULL DEFAULT 0,
    results_read    integer NOT NULL DEFAULT 0,
    new_count       integer NOT NULL DEFAULT 0,
    changed_count   integer NOT NULL DEFAULT 0,
    unchanged_count integer NOT NULL DEFAULT 0,
    rejected_count  integer NOT NULL DEFAULT 0,
    duplicate_count integer NOT NULL DEFAULT 0,
    problems        text[] NOT NULL DEFAULT '{}',
    files           jsonb NOT NULL DEFAULT '[]'::jsonb,
    fetched_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ooni_fetch_source_idx ON core.ooni_fetch (source, fetch_id);
COMMENT ON TABLE core.ooni_fetch IS 'One row per reading of an OONI measurements listing (an HTTP source of format ooni): complete, partial or failed, what it loaded and why results were left out.';
COMMENT ON COLUMN core.ooni_fetch.fetch_id IS 'Surrogate id, increasing in the order the listings were read.';
COMMENT ON COLUMN core.ooni_fetch.source IS 'Name of the HTTP source (Airflow Variable registry_http_sources).';
COMMENT ON COLUMN core.ooni_fetch.url IS 'URL of the first page as requested (with the since= presswatch added, if any).';
COMMENT ON COLUMN core.ooni_fetch.status IS 'complete (every page read, up to a null next_url), partial (a page failed; the pages before it were loaded) or failed (no page could be read; nothing changed).';
COMMENT ON COLUMN core.ooni_fetch.pages IS 'Pages read.';
COMMENT ON COLUMN core.ooni_fetch.results_read IS 'Results on the pages read, readable or not.';
COMMENT ON COLUMN core.ooni_fetch.new_count IS 'Measurements first loaded by this reading.';
COMMENT ON COLUMN core.ooni_fetch.changed_count IS 'Measurements already loaded whose values changed (OONI re-scores measurements, e.g. anomaly to confirmed).';
COMMENT ON COLUMN core.ooni_fetch.unchanged_count IS 'Measurements already loaded with the same values: left as they were.';
COMMENT ON COLUMN core.ooni_fetch.rejected_count IS 'Results that could not be read as a web_connectivity measurement; the first are listed in problems.';
COMMENT ON COLUMN core.ooni_fetch.duplicate_count IS 'Results listed twice in this reading (offset pages shift when new measurements arrive meanwhile); loaded once.';
COMMENT ON COLUMN core.ooni_fetch.problems IS 'Why the reading is partial or failed, and the rejected results as "page P, result N (uid): reason".';
COMMENT ON COLUMN core.ooni_fetch.files IS 'The pages as fetched, kept as raw input: path under <storage>/registry/fetched/, sha256, bytes, URL.';
COMMENT ON COLUMN core.ooni_fetch.fetched_at IS 'When presswatch read the listing.';

CREATE TABLE core.ooni_measurement (
    measurement_uid         text PRIMARY KEY,
    source                  text NOT NULL,
    test_name               text NOT NULL,
    input                   text NOT NULL,
    host                    text,
    host_unicode            text,
    probe_cc                text NOT NULL CHECK (probe_cc ~ '^[A-Z]{2}$'),
    probe_asn               bigint NOT NULL CHECK (probe_asn > 0),
    measurement_start_time  timestamptz NOT NULL,
    anomaly                 boolean NOT NULL,
    confirmed               boolean NOT NULL,
    failure                 boolean,
    outcome                 text NOT NULL GENERATED ALWAYS AS (
                                CASE WHEN confirmed THEN 'confirmed'
                                     WHEN failure THEN 'failure'
                                     WHEN anomaly THEN 'anomaly'
                                     ELSE 'ok' END) STORED,
    scores                  jsonb,
    report_id               text,
    measurement_url         text,
    first_fetch_id          bigint NOT NULL REFERENCES core.ooni_fetch (fetch_id),
    changed_fetch_id        bigint NOT NULL REFERENCES core.ooni_fetch (fetch_id),
    loaded_at               timestamptz NOT NULL DEFAULT now(),
    changed_at              timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ooni_measurement_host_idx ON core.ooni_measurement (host);
CREATE INDEX ooni_measurement_time_idx ON core.ooni_measurement (measurement_start_time);
COMMENT ON TABLE core.ooni_measurement IS 'OONI web_connectivity measurements, one row per measurement_uid however often it is read. Evidence, not reports: confirmed blocking of a monitored outlet is listed in the draft, never counted.';
COMMENT ON COLUMN core.ooni_measurement.measurement_uid IS 'OONI''s id of the measurement; the key of every load (a measurement read again updates its row, never adds one).';
COMMENT ON COLUMN core.ooni_measurement.source IS 'The HTTP source it was first read from.';
COMMENT ON COLUMN core.ooni_measurement.test_name IS 'OONI test: web_connectivity (other tests are rejected by the reader).';
COMMENT ON COLUMN core.ooni_measurement.input IS 'The URL measured, as OONI gives it.';
COMMENT ON COLUMN core.ooni_measurement.host IS 'Host of the URL normalised as the watchlist is (lower case, IDN as punycode, no www., port or trailing dot); null when the URL names an IP address, which is never matched to an outlet.';
COMMENT ON COLUMN core.ooni_measurement.host_unicode IS 'The host in Unicode, for display.';
COMMENT ON COLUMN core.ooni_measurement.probe_cc IS 'Country the probe measured from (ISO 3166 alpha-2, e.g. KZ).';
COMMENT ON COLUMN core.ooni_measurement.probe_asn IS 'Network (autonomous system number) the probe measured from, e.g. 9198 for AS9198.';
COMMENT ON COLUMN core.ooni_measurement.measurement_start_time IS 'When the measurement started (OONI gives UTC).';
COMMENT ON COLUMN core.ooni_measurement.anomaly IS 'OONI saw the site behave differently from its uncensored control: a sign of blocking, often also a flaky network or a site down. Not proof on its own.';
COMMENT ON COLUMN core.ooni_measurement.confirmed IS 'OONI confirmed the blocking (a known block page, typically): proof that the site was blocked on that network at that time.';
COMMENT ON COLUMN core.ooni_measurement.failure IS 'The measurement itself failed (the probe or the control could not complete it); null when the listing did not say.';
COMMENT ON COLUMN core.ooni_measurement.outcome IS 'One word for analysts, strongest first: confirmed (confirmed blocking), failure (measurement failed), anomaly (anomaly only, not confirmed), ok (no sign of blocking).';
COMMENT ON COLUMN core.ooni_measurement.scores IS 'OONI''s scores of the measurement as given (blocking_general, blocking_country, ..., analysis).';
COMMENT ON COLUMN core.ooni_measurement.report_id IS 'OONI report (probe session) the measurement belongs to, if given.';
COMMENT ON COLUMN core.ooni_measurement.measurement_url IS 'OONI API address of the raw measurement, if given. OONI Explorer shows it at https://explorer.ooni.org/m/<measurement_uid>.';
COMMENT ON COLUMN core.ooni_measurement.first_fetch_id IS 'The reading (core.ooni_fetch) that first loaded it.';
COMMENT ON COLUMN core.ooni_measurement.changed_fetch_id IS 'The reading that last changed its values (the first one if they never changed).';
COMMENT ON COLUMN core.ooni_measurement.loaded_at IS 'When presswatch first loaded it.';
COMMENT ON COLUMN core.ooni_measurement.changed_at IS 'When its values last changed (loaded_at if never).';

CREATE TABLE core.ooni_host_match (
    host                  text NOT NULL,
    outlet_id             text NOT NULL,
    outlet                text NOT NULL,
    outlet_domain         text NOT NULL,
    matched_host_unicode  text NOT NULL,
    match_kind            text NOT NULL CHECK (match_kind IN ('exact', 'subdomain', 'watchlist_wildcard')),
    first_seen            timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (host, outlet_id, outlet_domain)
);
CREATE INDEX ooni_host_match_outlet_idx ON core.ooni_host_match (outlet_id);
COMMENT ON TABLE core.ooni_host_match IS 'Measured hosts (core.ooni_measurement.host) that belong to a monitored outlet, by the same label-wise matching as register entries (include/presswatch/normalize/domains.py). Matched again from the whole table at every load, so it follows the watchlist.';
COMMENT ON COLUMN core.ooni_host_match.host IS 'The measured host, normalised (punycode).';
COMMENT ON COLUMN core.ooni_host_match.outlet_id IS 'The monitored outlet (ref.outlet) when matched.';
COMMENT ON COLUMN core.ooni_host_match.outlet IS 'Name of the outlet when matched.';
COMMENT ON COLUMN core.ooni_host_match.outlet_domain IS 'The watchlist domain that matched (punycode).';
COMMENT ON COLUMN core.ooni_host_match.matched_host_unicode IS 'The measured host in Unicode, for display.';
COMMENT ON COLUMN core.ooni_host_match.match_kind IS 'exact (the outlet''s host), subdomain (a subdomain of it) or watchlist_wildcard (under a *.domain entry of the watchlist). Look-alikes (notoutlet.kz, outlet.kz.example.com) never match.';
COMMENT ON COLUMN core.ooni_host_match.first_seen IS 'When this host was first matched to this outlet domain.';

CREATE VIEW core.ooni_outlet_measurement AS
SELECT DISTINCT ON (m.measurement_uid, h.outlet_id)
       h.outlet_id, h.outlet, h.outlet_domain, h.matched_host_unicode AS host, h.match_kind,
       m.measurement_uid, m.input, m.outcome, m.confirmed, m.anomaly, m.failure,
       m.measurement_start_time, (m.measurement_start_time AT TIME ZONE 'Asia/Almaty')::date AS measured_on,
       m.probe_cc, m.probe_asn, 'https://explorer.ooni.org/m/' || m.measurement_uid AS explorer_url
FROM core.ooni_measurement m
JOIN core.ooni_host_match h ON h.host = m.host
ORDER BY m.measurement_uid, h.outlet_id,
         array_position(ARRAY['exact', 'subdomain', 'watchlist_wildcard'], h.match_kind);
COMMENT ON VIEW core.ooni_outlet_measurement IS 'OONI measurements of monitored outlets, one row per measurement and outlet (strongest match kind). Filter outcome = ''confirmed'' for confirmed blocking; ''anomaly'' is a sign only. measured_on is the date in Asia/Almaty.';
COMMENT ON COLUMN core.ooni_outlet_measurement.outlet_id IS 'The monitored outlet (ref.outlet).';
COMMENT ON COLUMN core.ooni_outlet_measurement.outlet IS 'Name of the outlet.';
COMMENT ON COLUMN core.ooni_outlet_measurement.outlet_domain IS 'The watchlist domain that matched (punycode).';
COMMENT ON COLUMN core.ooni_outlet_measurement.host IS 'The measured host in Unicode.';
COMMENT ON COLUMN core.ooni_outlet_measurement.match_kind IS 'exact, subdomain or watchlist_wildcard (core.ooni_host_match).';
COMMENT ON COLUMN core.ooni_outlet_measurement.measurement_uid IS 'OONI''s id of the measurement (core.ooni_measurement).';
COMMENT ON COLUMN core.ooni_outlet_measurement.input IS 'The URL measured.';
COMMENT ON COLUMN core.ooni_outlet_measurement.outcome IS 'confirmed (confirmed blocking), failure, anomaly (anomaly only, not proof) or ok.';
COMMENT ON COLUMN core.ooni_outlet_measurement.confirmed IS 'OONI confirmed the blocking.';
COMMENT ON COLUMN core.ooni_outlet_measurement.anomaly IS 'OONI saw an anomaly (a sign, not proof).';
COMMENT ON COLUMN core.ooni_outlet_measurement.failure IS 'The measurement failed; null when not said.';
COMMENT ON COLUMN core.ooni_outlet_measurement.measurement_start_time IS 'When the measurement started.';
COMMENT ON COLUMN core.ooni_outlet_measurement.measured_on IS 'Date of the measurement in Asia/Almaty: the day and month the draft puts it in.';
COMMENT ON COLUMN core.ooni_outlet_measurement.probe_cc IS 'Country measured from.';
COMMENT ON COLUMN core.ooni_outlet_measurement.probe_asn IS 'Network (AS number) measured from.';
COMMENT ON COLUMN core.ooni_outlet_measurement.explorer_url IS 'The measurement in OONI Explorer, to cite or check.';

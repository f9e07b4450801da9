-- Registry notices: the outlets watchlist, snapshots of blocking registers, their entries' current state and
-- history, and the entries that touch a monitored outlet. Diffing and matching are set-based (see
-- sql/registry/*.sql and include/presswatch/warehouse/registry_load.py).

CREATE TABLE ref.outlet (
    outlet_id  text PRIMARY KEY,
    name       text NOT NULL,
    name_ru    text,
    city       text,
    origin     text NOT NULL CHECK (origin IN ('product', 'inbox_watchlist'))
);
COMMENT ON TABLE ref.outlet IS 'Media outlets the service monitors (the watchlist): include/data/outlets.yaml, extended by an optional <INBOX>/watchlist.csv in the Citizen Lab test-list layout.';
COMMENT ON COLUMN ref.outlet.outlet_id IS 'Stable id of the outlet (slug from outlets.yaml, or wl:<domain> for inbox watchlist rows).';
COMMENT ON COLUMN ref.outlet.name IS 'Name of the outlet as the draft shows it.';
COMMENT ON COLUMN ref.outlet.name_ru IS 'Name of the outlet in Russian, if known.';
COMMENT ON COLUMN ref.outlet.city IS 'City of the outlet''s editorial office, if known.';
COMMENT ON COLUMN ref.outlet.origin IS 'product (include/data/outlets.yaml) or inbox_watchlist (<INBOX>/watchlist.csv).';

CREATE TABLE ref.outlet_domain (
    outlet_id       text NOT NULL REFERENCES ref.outlet (outlet_id) ON DELETE CASCADE,
    domain          text NOT NULL,
    domain_unicode  text NOT NULL,
    wildcard        boolean NOT NULL DEFAULT false,
    PRIMARY KEY (outlet_id, domain, wildcard)
);
CREATE INDEX outlet_domain_domain_idx ON ref.outlet_domain (domain);
COMMENT ON TABLE ref.outlet_domain IS 'Web domains of monitored outlets, normalised: lower case, IDN as punycode, no www., no port or trailing dot; never a bare public suffix.';
COMMENT ON COLUMN ref.outlet_domain.outlet_id IS 'The outlet (ref.outlet).';
COMMENT ON COLUMN ref.outlet_domain.domain IS 'Normalised host in ASCII (punycode for IDN), without a leading *.';
COMMENT ON COLUMN ref.outlet_domain.domain_unicode IS 'The same host in Unicode, for display.';
COMMENT ON COLUMN ref.outlet_domain.wildcard IS 'The watchlist entry was *.domain: every subdomain belongs to the outlet (match kind watchlist_wildcard).';

CREATE TABLE core.registry_snapshot (
    snapshot_id      bigserial PRIMARY KEY,
    source           text NOT NULL,
    register         text NOT NULL,
    origin           text NOT NULL,
    files            jsonb NOT NULL DEFAULT '[]'::jsonb,
    register_time    timestamptz,
    content_sha256   text,
    input_sha256     text,
    row_count        integer NOT NULL DEFAULT 0,
    rows_loaded      integer NOT NULL DEFAULT 0,
    rows_rejected    integer NOT NULL DEFAULT 0,
    status           text NOT NULL CHECK (status IN ('valid', 'partial', 'failed')),
    problems         text[] NOT NULL DEFAULT '{}',
    unchanged_from   bigint REFERENCES core.registry_snapshot (snapshot_id),
    new_count        integer NOT NULL DEFAULT 0,
    changed_count    integer NOT NULL DEFAULT 0,
    relisted_count   integer NOT NULL DEFAULT 0,
    removed_count    integer NOT NULL DEFAULT 0,
    taken_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX registry_snapshot_source_idx ON core.registry_snapshot (source, snapshot_id);
COMMENT ON TABLE core.registry_snapshot IS 'One row per reading of a register (a dump in the inbox or an HTTP fetch), valid, partial or failed, with why.';
COMMENT ON COLUMN core.registry_snapshot.snapshot_id IS 'Surrogate id, increasing in the order snapshots were taken.';
COMMENT ON COLUMN core.registry_snapshot.source IS 'Which register feed: rkn_csv (z-i CSV mirror), rkn_xml (official XML dump), manual (manual-notice CSV), or an HTTP source name.';
COMMENT ON COLUMN core.registry_snapshot.register IS 'Human name of the register, as the draft shows it.';
COMMENT ON COLUMN core.registry_snapshot.origin IS 'Where the snapshot was read: folder or file relative to <INBOX>/registry, or a URL.';
COMMENT ON COLUMN core.registry_snapshot.files IS 'Per file read: path, sha256, bytes, encoding. The files themselves are kept where they were read (raw input).';
COMMENT ON COLUMN core.registry_snapshot.register_time IS 'The register''s own time of this state (Updated: line of the CSV, updateTime of the XML), if given.';
COMMENT ON COLUMN core.registry_snapshot.content_sha256 IS 'SHA-256 of the data (header line excluded); the same hash as an earlier snapshot of the source means nothing changed.';
COMMENT ON COLUMN core.registry_snapshot.input_sha256 IS 'Identity of the input read (data and register time): the same input is never ingested twice.';
COMMENT ON COLUMN core.registry_snapshot.row_count IS 'Data rows (CSV lines or XML entries) read.';
COMMENT ON COLUMN core.registry_snapshot.rows_loaded IS 'Rows accepted as register entries.';
COMMENT ON COLUMN core.registry_snapshot.rows_rejected IS 'Rows that could not be read (wrong column count, bad encoding, cut off); listed in problems.';
COMMENT ON COLUMN core.registry_snapshot.status IS 'valid (complete), partial (entries loaded, no removals declared from it) or failed (nothing loaded, earlier state untouched).';
COMMENT ON COLUMN core.registry_snapshot.problems IS 'Why the snapshot is partial or failed, and the first rejected rows as "file, line N: reason".';
COMMENT ON COLUMN core.registry_snapshot.unchanged_from IS 'The earlier snapshot of the same source with identical data, when this one changed nothing.';
COMMENT ON COLUMN core.registry_snapshot.new_count IS 'Entries first seen in this snapshot.';
COMMENT ON COLUMN core.registry_snapshot.changed_count IS 'Entries whose content (IPs, XML hash) changed in this snapshot.';
COMMENT ON COLUMN core.registry_snapshot.relisted_count IS 'Removed entries that came back in this snapshot.';
COMMENT ON COLUMN core.registry_snapshot.removed_count IS 'Entries declared removed by this snapshot (missing from it and the valid snapshot before).';
COMMENT ON COLUMN core.registry_snapshot.taken_at IS 'When presswatch read the snapshot.';

CREATE TABLE core.registry_notice (
    source                  text NOT NULL,
    notice_key              uuid NOT NULL,
    entry_id                text,
    register                text NOT NULL,
    authority               text,
    decision_number         text,
    decision_date           date,
    domains                 text[] NOT NULL DEFAULT '{}',
    urls                    text[] NOT NULL DEFAULT '{}',
    ips                     text[] NOT NULL DEFAULT '{}',
    listed_at               timestamp,
    content_hash            uuid NOT NULL,
    status                  text NOT NULL DEFAULT 'listed' CHECK (status IN ('listed', 'removed')),
    first_seen_snapshot     bigint NOT NULL REFERENCES core.registry_snapshot (snapshot_id),
    first_seen_at           timestamptz NOT NULL,
    last_changed_snapshot   bigint NOT NULL REFERENCES core.registry_snapshot (snapshot_id),
    last_changed_at         timestamptz NOT NULL,
    missing_since_snapshot  bigint REFERENCES core.registry_snapshot (snapshot_id),
    removed_at              timestamptz,
    PRIMARY KEY (source, notice_key)
);
CREATE INDEX registry_notice_missing_idx ON core.registry_notice (source) WHERE missing_since_snapshot IS NOT NULL;
COMMENT ON TABLE core.registry_notice IS 'Current state of every register entry ever seen: one row per entry (keyed per source), listed or removed.';
COMMENT ON COLUMN core.registry_notice.source IS 'The register feed (core.registry_snapshot.source).';
COMMENT ON COLUMN core.registry_notice.notice_key IS 'Key of the entry: for CSV a hash of (organization, decision number, decision date, sorted domains, sorted URLs), IPs left out; for XML a hash of the content id.';
COMMENT ON COLUMN core.registry_notice.entry_id IS 'The register''s own id of the entry (XML content id); null for the CSV mirror, which has none.';
COMMENT ON COLUMN core.registry_notice.register IS 'Human name of the register.';
COMMENT ON COLUMN core.registry_notice.authority IS 'Body that decided the blocking (Генпрокуратура, Роскомнадзор, a court, ...), as written.';
COMMENT ON COLUMN core.registry_notice.decision_number IS 'Number of the decision as written, free text (б/н = no number).';
COMMENT ON COLUMN core.registry_notice.decision_date IS 'Date of the decision (not of the listing); null when the register gave none or an invalid one.';
COMMENT ON COLUMN core.registry_notice.domains IS 'Domains of the entry as written (may hold *.wildcards, IPs or Cyrillic).';
COMMENT ON COLUMN core.registry_notice.urls IS 'URLs of the entry as written (may be malformed).';
COMMENT ON COLUMN core.registry_notice.ips IS 'IP addresses and subnets of the entry; they change under the same decision and are not part of the key.';
COMMENT ON COLUMN core.registry_notice.listed_at IS 'When the register says the entry was included (XML includeTime, Moscow time); null for the CSV.';
COMMENT ON COLUMN core.registry_notice.content_hash IS 'Hash of what may change under the same key (IPs; the XML hash attribute); another value means the entry changed.';
COMMENT ON COLUMN core.registry_notice.status IS 'listed, or removed (missing from two consecutive valid snapshots).';
COMMENT ON COLUMN core.registry_notice.first_seen_snapshot IS 'The snapshot that first contained the entry.';
COMMENT ON COLUMN core.registry_notice.first_seen_at IS 'When presswatch first saw the entry.';
COMMENT ON COLUMN core.registry_notice.last_changed_snapshot IS 'The snapshot of the last new/changed/removed/relisted event.';
COMMENT ON COLUMN core.registry_notice.last_changed_at IS 'When that last event was recorded.';
COMMENT ON COLUMN core.registry_notice.missing_since_snapshot IS 'The first valid snapshot the entry was missing from; one more valid snapshot without it removes it.';
COMMENT ON COLUMN core.registry_notice.removed_at IS 'When removed: the time of the first valid snapshot it was missing from.';

CREATE TABLE core.registry_notice_event (
    event_id               bigserial PRIMARY KEY,
    source                 text NOT NULL,
    notice_key             uuid NOT NULL,
    snapshot_id            bigint NOT NULL REFERENCES core.registry_snapshot (snapshot_id),
    event                  text NOT NULL CHECK (event IN ('new', 'changed', 'removed', 'relisted')),
    content_hash           uuid,
    previous_content_hash  uuid,
    ips                    text[],
    recorded_at            timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (source, notice_key) REFERENCES core.registry_notice (source, notice_key)
);
CREATE INDEX registry_notice_event_notice_idx ON core.registry_notice_event (source, notice_key);
COMMENT ON TABLE core.registry_notice_event IS 'Dated history of register entries: one row per new, changed, removed or relisted entry per snapshot.';
COMMENT ON COLUMN core.registry_notice_event.event_id IS 'Surrogate id, increasing in recording order.';
COMMENT ON COLUMN core.registry_notice_event.source IS 'The register feed.';
COMMENT ON COLUMN core.registry_notice_event.notice_key IS 'The entry (core.registry_notice).';
COMMENT ON COLUMN core.registry_notice_event.snapshot_id IS 'The snapshot that showed the event.';
COMMENT ON COLUMN core.registry_notice_event.event IS 'new, changed (same key, other content), removed (missing from two consecutive valid snapshots) or relisted (back after removal).';
COMMENT ON COLUMN core.registry_notice_event.content_hash IS 'Content hash of the entry after the event.';
COMMENT ON COLUMN core.registry_notice_event.previous_content_hash IS 'Content hash before the event (changed events).';
COMMENT ON COLUMN core.registry_notice_event.ips IS 'The entry''s IPs after the event, to follow how they move.';
COMMENT ON COLUMN core.registry_notice_event.recorded_at IS 'When the event was recorded.';

CREATE TABLE core.registry_match (
    source                text NOT NULL,
    notice_key            uuid NOT NULL,
    outlet_id             text NOT NULL,
    outlet                text NOT NULL,
    outlet_domain         text NOT NULL,
    matched_host          text NOT NULL,
    matched_host_unicode  text NOT NULL,
    match_kind            text NOT NULL CHECK (match_kind IN ('exact', 'subdomain', 'register_wildcard', 'watchlist_wildcard', 'url_host')),
    first_seen            timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (source, notice_key, outlet_id, outlet_domain),
    FOREIGN KEY (source, notice_key) REFERENCES core.registry_notice (source, notice_key)
);
COMMENT ON TABLE core.registry_match IS 'Register entries that touch a monitored outlet: candidates for a report, listed in the draft, never counted on their own.';
COMMENT ON COLUMN core.registry_match.source IS 'The register feed of the entry.';
COMMENT ON COLUMN core.registry_match.notice_key IS 'The entry (core.registry_notice).';
COMMENT ON COLUMN core.registry_match.outlet_id IS 'The monitored outlet (ref.outlet) when matched.';
COMMENT ON COLUMN core.registry_match.outlet IS 'Name of the outlet when matched (kept if the watchlist changes).';
COMMENT ON COLUMN core.registry_match.outlet_domain IS 'The watchlist domain that matched (punycode).';
COMMENT ON COLUMN core.registry_match.matched_host IS 'The host of the entry that matched, normalised (punycode); *.host for a register wildcard.';
COMMENT ON COLUMN core.registry_match.matched_host_unicode IS 'The matched host in Unicode, for display.';
COMMENT ON COLUMN core.registry_match.match_kind IS 'Strongest kind found: exact host, subdomain of the outlet, register wildcard *.outlet, watchlist wildcard, or URL host only. An IP alone never matches.';
COMMENT ON COLUMN core.registry_match.first_seen IS 'When this entry was first matched to this outlet.';

CREATE TABLE core.registry_match_run (
    run_id            bigserial PRIMARY KEY,
    snapshot_id       bigint REFERENCES core.registry_snapshot (snapshot_id),
    scope             text NOT NULL CHECK (scope IN ('changed', 'all')),
    watchlist_sha256  text NOT NULL,
    notices_checked   integer NOT NULL,
    matches           integer NOT NULL,
    ran_at            timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE core.registry_match_run IS 'Each matching pass: entries of one snapshot''s changes, or all listed entries when the watchlist changed.';
COMMENT ON COLUMN core.registry_match_run.run_id IS 'Surrogate id.';
COMMENT ON COLUMN core.registry_match_run.snapshot_id IS 'The snapshot whose new/changed/relisted entries were matched; null for a pass over all entries.';
COMMENT ON COLUMN core.registry_match_run.scope IS 'changed (the snapshot''s new, changed and relisted entries) or all (every entry, after a watchlist change).';
COMMENT ON COLUMN core.registry_match_run.watchlist_sha256 IS 'Fingerprint of the watchlist used; another fingerprint than the last run''s triggers a pass over all entries.';
COMMENT ON COLUMN core.registry_match_run.notices_checked IS 'Entries that passed the text prefilter and were matched host by host.';
COMMENT ON COLUMN core.registry_match_run.matches IS 'Matches written by the pass.';
COMMENT ON COLUMN core.registry_match_run.ran_at IS 'When the pass ran.';

-- Key helpers, used by the staging table's generated columns. Multi-value fields are joined with ' | ';
-- sorting them (in byte order, so the key does not depend on the server's collation) makes the key
-- independent of the order the register happens to list them in.
CREATE FUNCTION core.registry_sorted_values(value text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
    SELECT string_agg(v, ' | ' ORDER BY v COLLATE "C") FROM unnest(string_to_array(value, ' | ')) AS v
$$;
COMMENT ON FUNCTION core.registry_sorted_values(text) IS 'A '' | ''-joined list with its values sorted in byte order: the canonical form used in register entry keys.';

CREATE FUNCTION core.registry_date(value text) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
    SELECT CASE
        WHEN value ~ '^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$'
         AND substr(value, 9, 2)::int <= extract(day FROM make_date(substr(value, 1, 4)::int, substr(value, 6, 2)::int, 1)
                                                        + interval '1 month - 1 day')
        THEN value::date
    END
$$;
COMMENT ON FUNCTION core.registry_date(text) IS 'A YYYY-MM-DD text as a date, or null when it is not a real date (registers hold some).';

CREATE VIEW core.registry_review AS
SELECT m.outlet, m.outlet_domain, m.matched_host_unicode AS matched_host, m.match_kind,
       n.register, n.authority, n.decision_number, n.decision_date, n.status AS listing_status,
       n.first_seen_at, m.first_seen AS matched_at, n.urls,
       'resource_account_blocking'::text AS suggested_category,
       m.source, m.notice_key
FROM core.registry_match m
JOIN core.registry_notice n USING (source, notice_key);
COMMENT ON VIEW core.registry_review IS 'For editors: register entries touching a monitored outlet, offered as candidate reports (suggested category resource_account_blocking). Nothing here is counted until an editor files a report.';

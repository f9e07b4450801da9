"""
### Registry notices

Watches internet-blocking registers for the outlets the service monitors, so a listing such as a
regional paper's site added to Russia's register of prohibited domains reaches the monthly draft.

**Reads** `<inbox>/registry/`: z-i CSV dumps (`dump.csv` or `dump-00..19.csv`, windows-1251), the XML dump
(`dump.xml`, bare or zipped), manual-notice CSVs (`manual*.csv`); the outlets watchlist
(`include/data/outlets.yaml` plus an optional `<inbox>/watchlist.csv` in the Citizen Lab layout); and the
HTTP sources listed in the Airflow Variable `registry_http_sources` (JSON list of
`{"name", "conn_id", "format": "zi_csv" | "xml" | "ooni"}`; each connection's extra `url`, else its URI).
Format `ooni` is a listing of the OONI measurements API, e.g.
`https://api.ooni.io/api/v1/measurements?probe_cc=KZ&test_name=web_connectivity&anomaly=true&limit=1000`:
evidence that a site was actually blocked. Each reading asks for what was measured since the day of the last
complete one less `"late_upload_days"` (optional in the source, whole days, default 30): probes offline upload
late, and the API selects by measurement time only, so a later upload is missed; more days cost more pages
at every reading. Without the Variable no HTTP source is read at all.

**Writes** `ref.outlet`, `ref.outlet_domain` (watchlist), `core.registry_snapshot` (every reading: valid,
partial or failed, and why), `core.registry_notice` (current state), `core.registry_notice_event`
(history: new, changed, removed, relisted), `core.registry_match` (entries touching a monitored outlet,
with the match kind) and the review view `core.registry_review`; from OONI sources `core.ooni_fetch`,
`core.ooni_measurement` (keyed by measurement_uid; `outcome` tells confirmed blocking from an anomaly only),
`core.ooni_host_match` and the view `core.ooni_outlet_measurement`. Fetched files are kept under
`<storage>/registry/fetched/`.

An entry is removed only after two consecutive valid snapshots without it; a partial snapshot (cut-off
file, missing part, wrong column count, a row count falling more than 5%) never removes anything. Matches
are candidates for editors: they are listed in the draft and never counted on their own. Run before
`monthly_summary`.

Params: `inbox` (default: `PRESSWATCH_INBOX`, else the bundled sample inbox) and `storage`.
"""

from __future__ import annotations

import datetime as dt

from airflow.sdk import Asset, Param, dag, task

from include.presswatch.ops.dag_defaults import default_args

REGISTRY_MATCHES = Asset(name="presswatch_core_registry_match",
                         uri="postgres://warehouse:5432/presswatch/core/registry_match")
OONI_MEASUREMENTS = Asset(name="presswatch_core_ooni_measurement",
                          uri="postgres://warehouse:5432/presswatch/core/ooni_measurement")


@dag(
    dag_id="registry_notices",
    schedule="@daily",
    start_date=dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc),
    catchup=False,
    max_active_runs=1,
    doc_md=__doc__,
    default_args=default_args(retries=2, retry_delay=dt.timedelta(minutes=5)),
    tags={"presswatch", "registry"},
    params={
        "inbox": Param(None, type=["null", "string"], description="Inbox folder; empty for the default"),
        "storage": Param(None, type=["null", "string"], description="Storage folder; empty for the default"),
    },
)
def registry_notices():
    @task
    def prepare_warehouse() -> list[str]:
        """Apply pending migrations."""
        from include.presswatch.warehouse.connection import connect
        from include.presswatch.warehouse.migrations import migrate

        with connect() as conn:
            return migrate(conn)

    @task
    def http_sources() -> list[dict]:
        """The configured HTTP sources, resolved to URLs through their Airflow connections."""
        from airflow.sdk import Connection, Variable

        from include.presswatch.sources.registry_http import check_source_formats

        configured = Variable.get("registry_http_sources", default=[], deserialize_json=True)
        sources = []
        for item in configured:
            connection = Connection.get(item["conn_id"])
            url = (connection.extra_dejson or {}).get("url") or connection.get_uri()
            source = {"name": item["name"], "url": url, "format": item.get("format", "zi_csv")}
            if "late_upload_days" in item:  # an OONI source's look-back (include/presswatch/ooni.py)
                source["late_upload_days"] = item["late_upload_days"]
            sources.append(source)
        return check_source_formats(sources)

    @task(outlets=[REGISTRY_MATCHES])
    def ingest(sources: list[dict], params=None) -> dict:
        """Fetch the HTTP register dumps, then read, diff and match every snapshot of the inbox and the fetches."""
        from include.presswatch import ooni, registry, settings
        from include.presswatch.warehouse.connection import connect

        dumps = [s for s in sources if s["format"] != ooni.OONI_FORMAT]  # OONI listings: ingest_ooni
        fetched, failures = registry.fetch_http_snapshots(
            dumps, settings.storage_dir(params.get("storage")) / "registry" / "fetched") if dumps else ([], [])
        with connect() as conn:
            outcome = registry.ingest_registry(conn, params.get("inbox"), snapshots=fetched)
        for line in outcome.describe() + [f"HTTP source failed: {f}" for f in failures]:
            print(line)
        summary = outcome.as_dict()
        summary["http_failures"] = failures
        if failures and not outcome.snapshots:
            raise RuntimeError("every HTTP source failed: " + "; ".join(failures))
        return summary

    @task(outlets=[OONI_MEASUREMENTS])
    def ingest_ooni(sources: list[dict], params=None) -> dict:
        """Read the OONI measurement listings among the HTTP sources (none unless configured), load, match."""
        from include.presswatch import ooni, settings
        from include.presswatch.warehouse.connection import connect

        wanted = ooni.ooni_sources(sources)
        if not wanted:
            print("no OONI source configured (Airflow Variable registry_http_sources, format ooni)")
            return {"fetches": []}
        with connect() as conn:
            outcome = ooni.ingest_ooni(conn, wanted, settings.storage_dir(params.get("storage")) / "registry" / "fetched",
                                       params.get("inbox"))
        for line in outcome.describe():
            print(line)
        if outcome.all_failed:
            raise RuntimeError("every OONI source failed: " + "; ".join(p for f in outcome.fetches for p in f.problems[:1]))
        return outcome.as_dict()

    sources = http_sources()
    prepared = prepare_warehouse()
    prepared >> ingest(sources)
    prepared >> ingest_ooni(sources)


registry_notices()

"""
### Registry notices

Watches internet-blocking registers for the outlets the service monitors, so a listing such as a
regional paper's site added to Russia's register of prohibited domains reaches the monthly draft.

**Reads** `<inbox>/registry/`: z-i CSV dumps (`dump.csv` or `dump-00..19.csv`, windows-1251), the XML dump
(`dump.xml`, bare or zipped), manual-notice CSVs (`manual*.csv`); the outlets watchlist
(`include/data/outlets.yaml` plus an optional `<inbox>/watchlist.csv` in the Citizen Lab layout); and the
HTTP sources listed in the Airflow Variable `registry_http_sources` (JSON list of
`{"name", "conn_id", "format": "zi_csv" | "xml"}`; each connection's extra `url`, else its URI).

**Writes** `ref.outlet`, `ref.outlet_domain` (watchlist), `core.registry_snapshot` (every reading: valid,
partial or failed, and why), `core.registry_notice` (current state), `core.registry_notice_event`
(history: new, changed, removed, relisted), `core.registry_match` (entries touching a monitored outlet,
with the match kind) and the review view `core.registry_review`. Fetched files are kept under
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

        configured = Variable.get("registry_http_sources", default=[], deserialize_json=True)
        sources = []
        for item in configured:
            connection = Connection.get(item["conn_id"])
            url = (connection.extra_dejson or {}).get("url") or connection.get_uri()
            sources.append({"name": item["name"], "url": url, "format": item.get("format", "zi_csv")})
        return sources

    @task(outlets=[REGISTRY_MATCHES])
    def ingest(sources: list[dict], params=None) -> dict:
        """Fetch the HTTP sources, then read, diff and match every snapshot of the inbox and the fetches."""
        from include.presswatch import registry, settings
        from include.presswatch.warehouse.connection import connect

        fetched, failures = registry.fetch_http_snapshots(
            sources, settings.storage_dir(params.get("storage")) / "registry" / "fetched") if sources else ([], [])
        with connect() as conn:
            outcome = registry.ingest_registry(conn, params.get("inbox"), snapshots=fetched)
        for line in outcome.describe() + [f"HTTP source failed: {f}" for f in failures]:
            print(line)
        summary = outcome.as_dict()
        summary["http_failures"] = failures
        if failures and not outcome.snapshots:
            raise RuntimeError("every HTTP source failed: " + "; ".join(failures))
        return summary

    prepare_warehouse() >> ingest(http_sources())


registry_notices()

"""Registry notices: read the blocking registers in the inbox, keep their history, match the watchlist.

``ingest_registry(conn, inbox)`` is the whole pipeline, callable without a scheduler (the DAG
``registry_notices``, ``make run`` and the tests call it):

1. sync the outlets watchlist (include/data/outlets.yaml plus ``<INBOX>/watchlist.csv``) into ``ref``;
2. read every snapshot under ``<INBOX>/registry/`` — z-i CSV folders (``dump.csv`` or ``dump-00..19.csv``),
   XML dumps (``dump.xml``, bare or zipped), manual-notice CSVs (``manual*.csv``) — and, when given, files
   fetched from HTTP sources; each snapshot is diffed and its changes matched in its own transaction;
3. when the watchlist (or the matching rules) changed since the last matching pass, match every entry again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

from . import settings
from .sources import registry_csv, registry_manual, registry_xml
from .sources.registry_common import SnapshotInput
from .sources.registry_watchlist import load_watchlist
from .warehouse import registry_load

log = logging.getLogger(__name__)

REGISTRY_FOLDER = "registry"


@dataclass
class RegistryOutcome:
    watchlist: dict = field(default_factory=dict)
    snapshots: list[registry_load.SnapshotOutcome] = field(default_factory=list)
    rematched: dict | None = None
    matches: int = 0

    def describe(self) -> list[str]:
        lines = [f"watchlist: {self.watchlist.get('outlets', 0)} outlets, {self.watchlist.get('domains', 0)} domains"]
        lines += [s.describe() for s in self.snapshots]
        if self.rematched is not None:
            lines.append(f"watchlist or matching rules changed: matched all entries again "
                         f"({self.rematched['checked']} checked)")
        lines.append(f"registry matches in the warehouse: {self.matches}")
        return lines

    def as_dict(self) -> dict:
        return {"watchlist": self.watchlist, "rematched": self.rematched, "matches": self.matches,
                "snapshots": [{"source": s.source, "origin": s.origin, "status": s.status, "unchanged": s.unchanged,
                               "snapshot_id": s.snapshot_id, "rows_loaded": s.rows_loaded, "counts": s.counts,
                               "problems": s.problems[:20]} for s in self.snapshots]}


def registry_dir(inbox: Path) -> Path:
    return Path(inbox) / REGISTRY_FOLDER


def discover_snapshots(inbox: Path, extra_files: list[Path] | None = None) -> list[SnapshotInput]:
    """Every snapshot under <INBOX>/registry, CSV folders first, then XML dumps, then manual notices."""
    root = registry_dir(inbox)
    if not root.is_dir():
        log.warning("no registry folder in the inbox: %s", root)
        return []
    return registry_csv.discover(root) + registry_xml.discover(root) + registry_manual.discover(root)


def ingest_registry(conn: psycopg.Connection, inbox: str | Path | None = None,
                    snapshots: list[SnapshotInput] | None = None) -> RegistryOutcome:
    """Run the registry pipeline over ``<inbox>/registry`` (and any extra ``snapshots``, e.g. HTTP fetches)."""
    inbox = settings.inbox_dir(inbox)
    watchlist = load_watchlist(inbox)
    outcome = RegistryOutcome(watchlist=registry_load.sync_watchlist(conn, watchlist))
    conn.commit()
    rematch = registry_load.last_match_fingerprint(conn) != registry_load.match_fingerprint(watchlist)
    for snapshot in discover_snapshots(inbox) + list(snapshots or []):
        result = registry_load.ingest_snapshot(conn, snapshot, watchlist, match_changes=not rematch)
        conn.commit()
        log.info(result.describe())
        outcome.snapshots.append(result)
        if result.large_change:
            registry_load.maintain(conn)
    if rematch:
        outcome.rematched = registry_load.rematch_all(conn, watchlist)
        conn.commit()
    (outcome.matches,) = conn.execute("SELECT count(*) FROM core.registry_match").fetchone()
    return outcome


def fetch_http_snapshots(sources: list[dict], dest: Path) -> tuple[list[SnapshotInput], list[str]]:
    """Download register dumps from HTTP sources into ``dest`` and return them as snapshots.

    ``sources``: ``{"name": ..., "url": ..., "format": "zi_csv" | "xml"}`` (in Airflow, one connection per
    source). Conditional GET state (ETag, Last-Modified) is kept in ``dest/http-state.json``: an unchanged
    feed gives no snapshot. Returns the snapshots and, per source that failed, the reason; the files
    fetched stay in ``dest`` as the raw input.
    """
    import datetime as dt
    import json

    from .sources.registry_http import FetchError, fetch

    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    state_file = dest / "http-state.json"
    state = json.loads(state_file.read_text()) if state_file.exists() else {}
    snapshots: list[SnapshotInput] = []
    failures: list[str] = []
    for source in sources:
        name, url, kind = source["name"], source["url"], source.get("format", "zi_csv")
        known = state.get(url, {})
        try:
            result = fetch(url, etag=known.get("etag"), last_modified=known.get("last_modified"))
        except FetchError as error:
            failures.append(f"{name}: {error}")
            continue
        if result.not_modified:
            log.info("%s: not modified since the last fetch", name)
            continue
        folder = dest / name / dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S")
        folder.mkdir(parents=True, exist_ok=True)
        file_name = "dump.csv" if kind == "zi_csv" else ("dump.zip" if result.body[:2] == b"PK" else "dump.xml")
        (folder / file_name).write_bytes(result.body)
        state[url] = {"etag": result.etag, "last_modified": result.last_modified}
        found = registry_csv.discover(folder) if kind == "zi_csv" else registry_xml.discover(folder)
        for snapshot in found:
            snapshot.origin = f"{url} ({folder.relative_to(dest)})"
        snapshots += found
    state_file.write_text(json.dumps(state, indent=1))
    return snapshots, failures

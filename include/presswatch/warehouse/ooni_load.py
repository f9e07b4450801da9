"""OONI measurements into the warehouse: record the reading, COPY into a stage, merge by measurement_uid,
match the measured hosts to the watchlist.

A reading is one transaction: its ``core.ooni_fetch`` row and the measurements it brought. The merge is
keyed by OONI's ``measurement_uid`` and rewrites a known row only when a value changed, so loading the
same pages twice leaves ``core.ooni_measurement`` exactly as it was. Matching works on distinct hosts,
not on measurements: every host measured so far is matched again at each load with the same
``Matcher`` the register entries use, and ``core.ooni_host_match`` is replaced by the result. A host
belongs to the outlet with the most specific domain it lies under (``most_specific``), so a measurement
counts for one outlet, not for each outlet whose domain contains the host.
"""

from __future__ import annotations

import datetime as dt
import json

import psycopg
from psycopg.types.json import Jsonb

from ..normalize.domains import Match, Matcher
from ..sources.registry_ooni import RECORD_COLUMNS, MeasurementBatch
from ..sources.registry_watchlist import Watchlist
from .bulk import copy_rows
from .sql_files import statement

# COPY in binary: the types of ooni_stage's columns, in RECORD_COLUMNS order.
STAGE_TYPES = ("text", "text", "text", "text", "text", "text", "int8", "timestamptz", "bool", "bool", "bool",
               "jsonb", "text", "text")
MATCH_COLUMNS = ("host", "outlet_id", "outlet", "outlet_domain", "matched_host_unicode", "match_kind")


def record_fetch(conn: psycopg.Connection, source: str, url: str, status: str, pages: int,
                 batch: MeasurementBatch, problems: list[str], files: list[dict]) -> int:
    """Insert the reading's core.ooni_fetch row (counts of the load filled in by ``load_measurements``)."""
    (fetch_id,) = conn.execute(
        """INSERT INTO core.ooni_fetch (source, url, status, pages, results_read, rejected_count, duplicate_count,
                                        problems, files)
           VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING fetch_id""",
        (source, url, status, pages, batch.results_read, batch.rejected, batch.duplicates, problems,
         json.dumps(files)),
    ).fetchone()
    return fetch_id


def load_measurements(conn: psycopg.Connection, batch: MeasurementBatch, source: str, fetch_id: int) -> dict:
    """Merge the batch's measurements into core.ooni_measurement; returns new, changed and unchanged counts."""
    counts = {"new": 0, "changed": 0, "unchanged": 0}
    if batch.records:
        conn.execute(statement("ooni/create_stage.sql"))
        staged = copy_rows(conn, "ooni_stage", RECORD_COLUMNS, (
            tuple(Jsonb(v) if name == "scores" and v is not None else v for name, v in zip(RECORD_COLUMNS, r.row()))
            for r in batch.records), types=STAGE_TYPES)
        new, changed = conn.execute(statement("ooni/upsert_measurements.sql"),
                                    {"source": source, "fetch_id": fetch_id}).fetchone()
        conn.execute("DROP TABLE ooni_stage")
        counts = {"new": new, "changed": changed, "unchanged": staged - new - changed}
    conn.execute(
        """UPDATE core.ooni_fetch SET new_count = %s, changed_count = %s, unchanged_count = %s
           WHERE fetch_id = %s""", (counts["new"], counts["changed"], counts["unchanged"], fetch_id))
    return counts


def most_specific(matches: list[Match]) -> list[Match]:
    """The matches of one host to the outlet domains with the most labels.

    Every outlet domain a host matches is the host itself or one of its parents, so the longest is the most
    specific: with outlet A at example.kz and outlet B at news.example.kz, news.example.kz and
    live.news.example.kz are B's and other.example.kz is A's. B listed its own site; A's domain covers it only
    as a parent (or by a ``*.`` wildcard), and counting both would count one measurement twice. Matches of the
    same domain are all kept: one domain listed for two outlets is for the watchlist to settle, not a rule.
    """
    if not matches:
        return []
    labels = max(m.outlet_domain.count(".") for m in matches)
    return [m for m in matches if m.outlet_domain.count(".") == labels]


def match_hosts(conn: psycopg.Connection, watchlist: Watchlist) -> dict[str, int]:
    """Match every measured host to the watchlist (the most specific outlet domains only) and replace
    core.ooni_host_match with the result."""
    matcher = Matcher(watchlist.domains())
    hosts = [host for (host,) in conn.execute(statement("ooni/measured_hosts.sql"))]

    def rows():
        for host in hosts:
            for m in most_specific(matcher.match_entry([host], [])):
                yield (host, m.outlet_id, m.outlet, m.outlet_domain, m.matched_host_unicode, m.match_kind)

    conn.execute(statement("ooni/create_match_stage.sql"))
    found = copy_rows(conn, "ooni_match_stage", MATCH_COLUMNS, rows())
    conn.execute(statement("ooni/replace_matches.sql"))
    return {"hosts": len(hosts), "matches": found}


def last_complete_fetch(conn: psycopg.Connection, source: str) -> dt.datetime | None:
    (when,) = conn.execute(statement("ooni/last_complete_fetch.sql"), {"source": source}).fetchone()
    return when

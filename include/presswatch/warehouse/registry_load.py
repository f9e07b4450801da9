"""Registry snapshots into the warehouse: stage with COPY, diff in SQL, match the changes, all or nothing.

One snapshot is one transaction: staging (a temporary table filled by COPY with the rows as read, nothing
computed on the way), the diff against the source's current state in two set-based passes
(sql/registry/fingerprint.sql: one hash full join on a fixed-width fingerprint of every whole row, which
recognises the unchanged rows without building their keys; sql/registry/diff.sql: keys and comparison for
the few rows left), the history rows, removals (valid snapshots only) and matching of the new and changed
entries. A snapshot that cannot be read is recorded as failed and nothing else changes.

Matching goes host by host (``match_entry``): each host or URL of an entry belongs to the outlet with the most
specific watched domain that covers it, as OONI's measured hosts do, so an entry for news.example.kz touches the
outlet at news.example.kz and not also the one at example.kz.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import re
import time
from dataclasses import dataclass, field

import psycopg
from psycopg import sql

from ..normalize.domains import MATCH_KINDS, Match, Matcher
from ..sources.registry_common import STAGE_COLUMNS, RegistryReadError, SnapshotInput
from ..sources.registry_watchlist import Watchlist
from .bulk import copy_rows
from .ooni_load import most_specific
from .sql_files import statement

log = logging.getLogger(__name__)

# A valid snapshot may not shrink by more than this against the last valid one of its source: a register
# does not lose a few percent of its entries between two readings, a broken download does.
MAX_ROW_DROP = 0.05
# Session settings for one ingest: a full register (~1M rows) stages and hashes in memory with these.
STAGE_TEMP_BUFFERS = "1GB"
DIFF_WORK_MEM = "256MB"
# After a snapshot that added or changed this share of its entries, the notice table's statistics and
# visibility map are refreshed (VACUUM ANALYZE), so the next diff plans on the real size.
MAINTAIN_AFTER_SHARE = 0.1
MATCH_COLUMNS = ("source", "notice_key", "outlet_id", "outlet", "outlet_domain", "matched_host",
                 "matched_host_unicode", "match_kind")
# The rules of matching beyond the watchlist itself, part of the fingerprint a matching pass records: when they
# change, the next ingest matches every entry again, as after a watchlist change (sql/0052_*: from then on a
# host belongs to its most specific outlet domain only).
MATCHING_RULES = "host by host, most specific outlet domain"


@dataclass
class SnapshotOutcome:
    source: str
    origin: str
    status: str  # valid, partial, failed, skipped (already ingested)
    snapshot_id: int | None = None
    rows_loaded: int = 0
    counts: dict = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    unchanged: bool = False
    refingerprinted: int = 0  # entries whose row fingerprint alone was (re)recorded: no event

    @property
    def large_change(self) -> bool:
        changed = (self.counts.get("new", 0) + self.counts.get("changed", 0) + self.counts.get("relisted", 0)
                   + self.refingerprinted)
        return changed > max(1000, MAINTAIN_AFTER_SHARE * max(self.rows_loaded, 1))

    def describe(self) -> str:
        if self.status == "skipped":
            return f"{self.source} {self.origin}: already ingested, skipped"
        text = f"{self.source} {self.origin}: {self.status}"
        if self.unchanged:
            text += " (unchanged)"
        text += f", {self.rows_loaded} entries; " + ", ".join(f"{k} {v}" for k, v in self.counts.items())
        if self.problems:
            text += f"; problems: {'; '.join(self.problems[:5])}"
        return text


def maintain(conn: psycopg.Connection) -> None:
    """VACUUM ANALYZE the registry tables (outside any transaction), after large loads."""
    autocommit = conn.autocommit
    conn.commit()
    conn.autocommit = True
    try:
        conn.execute("VACUUM (ANALYZE) core.registry_notice")
        conn.execute("VACUUM (ANALYZE) core.registry_notice_event")
    finally:
        conn.autocommit = autocommit


# -- watchlist ------------------------------------------------------------------------------------------

def sync_watchlist(conn: psycopg.Connection, watchlist: Watchlist) -> dict[str, int]:
    """Replace ref.outlet and ref.outlet_domain with the watchlist (product list plus inbox extension)."""
    with conn.transaction():
        conn.execute("DELETE FROM ref.outlet_domain")
        conn.execute("DELETE FROM ref.outlet")
        outlets = copy_rows(conn, "ref.outlet", ["outlet_id", "name", "name_ru", "city", "origin"],
                            [(o.outlet_id, o.name, o.name_ru, o.city, o.origin) for o in watchlist.outlets])
        domains = copy_rows(conn, "ref.outlet_domain", ["outlet_id", "domain", "domain_unicode", "wildcard"],
                            [(o.outlet_id, a, u, w) for o in watchlist.outlets for a, u, w in o.domains])
    return {"outlets": outlets, "domains": domains}


def match_fingerprint(watchlist: Watchlist) -> str:
    """Fingerprint of what matching depends on: the watchlist and the matching rules. Another value than the
    last pass's means every entry is matched again."""
    return hashlib.sha256(f"{MATCHING_RULES}\n{watchlist.fingerprint()}".encode()).hexdigest()


def last_match_fingerprint(conn: psycopg.Connection) -> str | None:
    row = conn.execute("SELECT watchlist_sha256 FROM core.registry_match_run ORDER BY run_id DESC LIMIT 1").fetchone()
    return row[0] if row else None


def _patterns(matcher: Matcher) -> list[str]:
    def escape(term: str) -> str:
        return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")

    return [f"%{escape(t)}%" for t in matcher.prefilter_terms()] or ["\x00never\x00"]


def _owners(found: list[Match]) -> list[Match]:
    """Of the matches of one host (or register wildcard) of an entry, those of the outlets it belongs to.

    A host belongs to the most specific watched domain that covers it (``most_specific``, the rule of OONI's
    measured hosts): with outlet A at example.kz and outlet B at news.example.kz, news.example.kz and
    live.news.example.kz are B's, other.example.kz is A's. A register wildcard ``*.base`` blocks a whole
    subtree: it belongs to the most specific domain covering base, and also touches every outlet whose domain
    lies inside the subtree (``*.example.kz`` touches A and B; ``*.news.example.kz`` only B).
    """
    if not found or not found[0].matched_host.startswith("*."):
        return most_specific(found)
    base = found[0].matched_host[2:]
    covering = [m for m in found if base == m.outlet_domain or base.endswith("." + m.outlet_domain)]
    inside = [m for m in found if m not in covering]
    return most_specific(covering) + inside


def match_entry(matcher: Matcher, domains: list[str], urls: list[str]) -> list[Match]:
    """The outlet domains one register entry touches, with the strongest kind each: ``Matcher.match_entry``
    (IDN, ``www.``, labels, wildcards, IPs never), host by host, each host kept for its own outlets only
    (``_owners``). An entry listing both example.kz and news.example.kz still touches both outlets."""
    rank = {kind: position for position, kind in enumerate(MATCH_KINDS)}
    best: dict[tuple[str, str], Match] = {}
    for one_domain, one_url in [([d], []) for d in domains] + [([], [u]) for u in urls]:
        for m in _owners(matcher.match_entry(one_domain, one_url)):
            key = (m.outlet_id, m.outlet_domain)
            if key not in best or rank[m.match_kind] < rank[best[key].match_kind]:
                best[key] = m
    return sorted(best.values(), key=lambda m: (m.outlet_id, m.outlet_domain))


def _stage_matches(conn: psycopg.Connection, matcher: Matcher, candidates) -> tuple[int, int]:
    conn.execute(statement("registry/create_match_stage.sql"))
    checked = 0

    def rows():
        nonlocal checked
        for source, notice_key, domains, urls in candidates:
            checked += 1
            split = lambda text: [v for v in text.split(" | ") if v]  # noqa: E731
            for m in match_entry(matcher, split(domains), split(urls)):
                yield (source, notice_key, m.outlet_id, m.outlet, m.outlet_domain, m.matched_host,
                       m.matched_host_unicode, m.match_kind)

    found = copy_rows(conn, "registry_match_stage", MATCH_COLUMNS, rows())
    return checked, found


def rematch_all(conn: psycopg.Connection, watchlist: Watchlist) -> dict[str, int]:
    """Match every entry of every register against the watchlist (after the watchlist changed)."""
    matcher = Matcher(watchlist.domains())
    with conn.transaction():
        candidates = conn.execute(statement("registry/match_candidates_all.sql"),
                                  {"patterns": _patterns(matcher)}).fetchall()
        checked, found = _stage_matches(conn, matcher, candidates)
        conn.execute(statement("registry/drop_stale_matches_all.sql"))
        conn.execute(statement("registry/upsert_matches.sql"))
        conn.execute(
            "INSERT INTO core.registry_match_run (scope, watchlist_sha256, notices_checked, matches) VALUES ('all', %s, %s, %s)",
            (match_fingerprint(watchlist), checked, found))
        conn.execute("DROP TABLE registry_match_stage")
    log.info("matched all register entries: %d checked, %d matches", checked, found)
    return {"checked": checked, "matches": found}


# -- snapshots ------------------------------------------------------------------------------------------

def _already_ingested(conn: psycopg.Connection, snapshot: SnapshotInput, input_sha: str | None) -> bool:
    if not input_sha:
        return False
    return conn.execute(
        "SELECT 1 FROM core.registry_snapshot WHERE source = %s AND input_sha256 = %s AND status <> 'failed'",
        (snapshot.source, input_sha)).fetchone() is not None


def _insert_snapshot(conn, snapshot: SnapshotInput, input_sha, status, problems, rows_loaded=0,
                     unchanged_from=None) -> tuple[int, dt.datetime]:
    return conn.execute(
        """INSERT INTO core.registry_snapshot (source, register, origin, files, register_time, content_sha256,
               input_sha256, row_count, rows_loaded, rows_rejected, status, problems, unchanged_from)
           VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING snapshot_id, taken_at""",
        (snapshot.source, snapshot.register, snapshot.origin, json.dumps([f.as_dict() for f in snapshot.files]),
         snapshot.register_time, snapshot.content_sha256, input_sha, snapshot.rows_read, rows_loaded,
         snapshot.rejected, status, problems, unchanged_from),
    ).fetchone()


def _session_memory(conn: psycopg.Connection) -> None:
    """Room for a register in memory: the staging table in temp buffers, the diff's hash join in work_mem.

    temp_buffers can only be set before the session's first temporary table; later calls keep what is set.
    """
    try:
        with conn.transaction():
            conn.execute(f"SET temp_buffers = '{STAGE_TEMP_BUFFERS}'")
    except psycopg.errors.InvalidParameterValue:
        pass
    conn.execute(f"SET LOCAL work_mem = '{DIFF_WORK_MEM}'")


def _stage(conn: psycopg.Connection, snapshot: SnapshotInput) -> int:
    """COPY the snapshot into registry_stage; the fast path when the reader offers one. Returns rows staged."""
    _session_memory(conn)
    conn.execute(statement("registry/create_stage.sql"))
    parts = snapshot.copy_parts()
    if parts is not None:
        try:
            with conn.transaction():  # a savepoint: a failed COPY leaves an empty stage behind
                staged = 0
                with conn.cursor() as cur:
                    for encoding, blocks in parts:
                        copy_sql = sql.SQL(
                            "COPY registry_stage (ip, domain, url, organization, decision_number, decision_date) "
                            "FROM STDIN (FORMAT csv, DELIMITER ';', QUOTE '\"', ESCAPE '\"', ENCODING {})"
                        ).format(sql.Literal(encoding))
                        with cur.copy(copy_sql) as copy:
                            for block in blocks:
                                copy.write(block)
                        staged += cur.rowcount
                return staged
        except psycopg.errors.DataError as error:
            log.info("%s %s: COPY refused the file (%s); reading it line by line",
                     snapshot.source, snapshot.origin, str(error).splitlines()[0])
    return copy_rows(conn, "registry_stage", STAGE_COLUMNS, snapshot.rows())


def _last_snapshot(conn, source: str, valid_only: bool):
    return conn.execute(
        f"""SELECT snapshot_id, content_sha256, rows_loaded, status, problems FROM core.registry_snapshot
            WHERE source = %s AND status {"= 'valid'" if valid_only else "<> 'failed'"}
            ORDER BY snapshot_id DESC LIMIT 1""",
        (source,)).fetchone()


def ingest_snapshot(conn: psycopg.Connection, snapshot: SnapshotInput, watchlist: Watchlist,
                    match_changes: bool = True) -> SnapshotOutcome:
    """Record one snapshot, diff it against its source's current state and match what changed."""
    outcome = SnapshotOutcome(snapshot.source, snapshot.origin, "failed")
    try:
        if hasattr(snapshot, "inspect"):
            snapshot.inspect()
        input_sha = getattr(snapshot, "input_sha256", None)
        if _already_ingested(conn, snapshot, input_sha):
            outcome.status = "skipped"
            return outcome
        with conn.transaction():
            previous = _last_snapshot(conn, snapshot.source, valid_only=False)
            if previous and snapshot.content_sha256 and previous[1] == snapshot.content_sha256:
                return _ingest_unchanged(conn, snapshot, input_sha, previous, outcome)
            started = time.perf_counter()
            staged = _stage(conn, snapshot)
            log.debug("registry step stage: %.2f s", time.perf_counter() - started)
            return _diff_and_match(conn, snapshot, input_sha, staged, watchlist, match_changes, outcome)
    except RegistryReadError as error:
        outcome.problems = [str(error)]
        with conn.transaction():
            outcome.snapshot_id, _ = _insert_snapshot(conn, snapshot, None, "failed", outcome.problems)
        log.error("%s %s: snapshot failed: %s", snapshot.source, snapshot.origin, error)
        return outcome


def _ingest_unchanged(conn, snapshot, input_sha, previous, outcome: SnapshotOutcome) -> SnapshotOutcome:
    """Same data as the last snapshot: nothing to stage; a second valid reading may complete removals."""
    previous_id, _sha, rows_loaded, status, problems = previous
    outcome.status, outcome.unchanged, outcome.rows_loaded = status, True, rows_loaded
    outcome.problems = list(problems)
    snapshot_id, taken_at = _insert_snapshot(conn, snapshot, input_sha, status, problems, rows_loaded, previous_id)
    outcome.snapshot_id = snapshot_id
    removed = 0
    if status == "valid":
        removed = conn.execute(statement("registry/remove_missing_twice.sql"),
                               {"source": snapshot.source, "snapshot": snapshot_id, "taken_at": taken_at}).rowcount
    outcome.counts = {"new": 0, "changed": 0, "relisted": 0, "removed": removed}
    conn.execute("UPDATE core.registry_snapshot SET removed_count = %s WHERE snapshot_id = %s", (removed, snapshot_id))
    return outcome


_CREATE_AS = re.compile(r"^CREATE TEMP TABLE \w+ ON COMMIT DROP AS$", re.MULTILINE)


def _timed(conn, name: str, params: dict | None = None):
    text = statement(f"registry/{name}.sql")
    if os.environ.get("REGISTRY_EXPLAIN") and _CREATE_AS.search(text):  # bench/registry.py --steps: the plans
        query = text[_CREATE_AS.search(text).end():]
        for (line,) in conn.execute("EXPLAIN (ANALYZE, BUFFERS) " + query.rstrip().rstrip(";"), params):
            log.debug(line)
    started = time.perf_counter()
    cursor = conn.execute(text, params)
    log.debug("registry step %s: %.2f s", name, time.perf_counter() - started)
    return cursor


def _diff_and_match(conn, snapshot, input_sha, staged, watchlist, match_changes, outcome) -> SnapshotOutcome:
    problems = list(snapshot.problems)
    last_valid = _last_snapshot(conn, snapshot.source, valid_only=True)
    if last_valid and last_valid[2] and staged < last_valid[2] * (1 - MAX_ROW_DROP):
        problems.append(f"{staged} entries against {last_valid[2]} in the last valid snapshot: "
                        f"a drop of more than {MAX_ROW_DROP:.0%}")
    if staged == 0 and snapshot.rows_read > 0:
        problems.append("no entry could be read")
    status = "partial" if problems else "valid"
    snapshot_id, taken_at = _insert_snapshot(conn, snapshot, input_sha, status, problems, staged)
    params = {"source": snapshot.source, "register": snapshot.register, "snapshot": snapshot_id, "taken_at": taken_at}

    _timed(conn, "fingerprint", params)
    _timed(conn, "diff", params)
    conn.execute("ANALYZE registry_diff")  # the next statements join it with the entries: plan on its real size
    _timed(conn, "diff_reordered_ips", params)
    counts = dict(conn.execute("SELECT event, count(*) FROM registry_diff GROUP BY event").fetchall())
    _timed(conn, "insert_new", params)
    _timed(conn, "update_present", params)
    outcome.refingerprinted = _timed(conn, "update_fingerprints", params).rowcount
    _timed(conn, "record_events", params)
    removed = 0
    if status == "valid":
        removed = _timed(conn, "remove_missing_twice", params).rowcount
        _timed(conn, "mark_missing_once", params)
    outcome.counts = {"new": counts.get("new", 0), "changed": counts.get("changed", 0),
                      "relisted": counts.get("relisted", 0), "removed": removed}
    if status == "valid":
        outcome.counts["missing_once"] = counts.get("missing", 0) - removed
    conn.execute(
        """UPDATE core.registry_snapshot SET new_count = %s, changed_count = %s, relisted_count = %s, removed_count = %s
           WHERE snapshot_id = %s""",
        (outcome.counts["new"], outcome.counts["changed"], outcome.counts["relisted"], removed, snapshot_id))

    if match_changes:
        matcher = Matcher(watchlist.domains())
        candidates = [(snapshot.source, key, domains, urls) for key, domains, urls in conn.execute(
            statement("registry/match_candidates_changed.sql"),
            {"source": snapshot.source, "patterns": _patterns(matcher)})]
        checked, found = _stage_matches(conn, matcher, candidates)
        _timed(conn, "drop_stale_matches_changed", params)
        conn.execute(statement("registry/upsert_matches.sql"))
        conn.execute(
            """INSERT INTO core.registry_match_run (snapshot_id, scope, watchlist_sha256, notices_checked, matches)
               VALUES (%s, 'changed', %s, %s, %s)""", (snapshot_id, match_fingerprint(watchlist), checked, found))
        outcome.counts["matches"] = found
        conn.execute("DROP TABLE registry_match_stage")
    conn.execute("DROP TABLE registry_diff")
    conn.execute("DROP TABLE registry_fp")
    conn.execute("DROP TABLE registry_stage")
    outcome.status, outcome.snapshot_id, outcome.rows_loaded, outcome.problems = status, snapshot_id, staged, problems
    return outcome

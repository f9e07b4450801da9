"""Correspondent intake: find files in the inbox, prepare them (intake_prepare: read → normalize → check,
in worker processes for a large inbox), then load each one, in inbox order.

Each file is handled on its own: a file that cannot be read is quarantined with its reason, and the
next file goes on. Every data row of a readable file ends in ``core.report`` or ``quarantine.row``.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg

from . import intake_prepare, intake_report, intake_workers, settings
from .intake_prepare import CORRESPONDENTS_FOLDER, PreparedFile
from .normalize.rows import RECORD_FIELDS, Problem
from .warehouse import load_reports
from .warehouse.reference_sync import known_codes

log = logging.getLogger(__name__)

__all__ = ["CORRESPONDENTS_FOLDER", "FileOutcome", "discover_files", "ingest_file", "ingest_files", "ingest_inbox"]

# Files prepared per chunk: the data-quality suite runs once over a chunk (~0.07 s a call, whatever its size).
CHUNK_FILES = 32
# The chunks at the end shrink by this factor, down to TAIL_MIN_FILES (see _chunks): 19, 12, 7, 4 after 32s.
TAIL_SHRINK = 0.6
TAIL_MIN_FILES = 4
# From this many files on, they are prepared by worker processes; for fewer a pool costs more than it saves
# (and a mapped Airflow task loads a single file).
PROCESS_MIN_FILES = 8
MAX_PROBLEM_LINES = 8


@dataclass
class FileOutcome:
    inbox_path: str
    status: str  # loaded, unchanged, quarantined, failed (the warehouse refused it: rolled back, see reason)
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    reason: str | None = None
    file_id: int | None = None
    rows_replaced: int = 0  # rows of earlier files withdrawn because this file carries their report ids
    rows_restored: int = 0  # rows of other files back because the version this one replaced had withdrawn them
    rows_withdrawn: int = 0  # rows of this file withdrawn: a later file of the month gives their report ids
    report_path: str | None = None  # the readable intake report, when written
    problems: list[str] = field(default_factory=list)  # one line per column or file-level problem
    identical_to: str | None = None  # skipped: another current file of the month has exactly these bytes

    def describe(self) -> str:
        if self.status == "quarantined":
            text = f"{self.inbox_path}: file quarantined: {self.reason}"
        elif self.status == "failed":
            text = f"{self.inbox_path}: failed, nothing of it was loaded: {self.reason}"
        elif self.status == "unchanged":
            text = f"{self.inbox_path}: {self.reason or 'unchanged since its last load'}, skipped"
        else:
            text = (f"{self.inbox_path}: read {self.rows_read} rows, loaded {self.rows_loaded}, "
                    f"quarantined {self.rows_quarantined}")
            if self.rows_replaced:
                text += f", replaced {self.rows_replaced} rows of earlier files by report id"
            if self.rows_withdrawn:
                text += f", {self.rows_withdrawn} rows withdrawn as a later file of the month gives their report ids"
            if self.problems:
                shown = self.problems[:MAX_PROBLEM_LINES]
                more = len(self.problems) - len(shown)
                text += "; rejected: " + "; ".join(shown) + (f"; and {more} more" if more > 0 else "")
        if self.rows_restored:
            text += (f"; {self.rows_restored} rows of other files are back, withdrawn by the version this file "
                     f"replaced")
        if self.report_path:
            text += f" (intake report: {self.report_path})"
        return text


def correspondents_dir(inbox: Path) -> Path:
    return intake_prepare.correspondents_dir(inbox)


def discover_files(inbox: Path) -> list[str]:
    """Paths of every file under <inbox>/correspondents, relative to it, in a stable order."""
    root = correspondents_dir(inbox)
    if not root.is_dir():
        log.warning("no correspondents folder in the inbox: %s", root)
        return []
    return sorted(
        str(p.relative_to(root)) for p in root.rglob("*")
        if p.is_file() and not p.name.startswith((".", "~$"))
    )


def today_in_almaty() -> dt.date:
    return dt.datetime.now(ZoneInfo(settings.TIMEZONE)).date()


def _write_report(conn, storage: Path | None, outcome: FileOutcome, today: dt.date) -> None:
    if outcome.file_id is None:
        return
    if storage is None:
        lines = intake_report.lines_for(conn, outcome.file_id)
    else:
        header = [outcome.describe()]
        path, lines = intake_report.write_report(conn, storage, outcome.inbox_path, outcome.file_id, header, today)
        outcome.report_path = str(path)
    outcome.problems = intake_report.summary_by_column(lines)


def _rewrite_affected_reports(conn: psycopg.Connection, storage: Path, result: load_reports.LoadResult,
                              changed_by: str) -> None:
    """Write again the intake report of each other file whose rows a load withdrew (a correction by report id:
    its counts changed, a row it had in quarantine may be released) or put back (the correction was replaced)."""
    back = {path for _, path, _, _ in result.restored}
    for inbox_path in sorted({path for _, path, _, _ in result.replaced} | back):
        current = conn.execute(
            """SELECT f.file_id, f.rows_read, f.rows_loaded, f.rows_quarantined, (f.loaded_at AT TIME ZONE %s)::date,
                      (SELECT count(*) FROM raw.row_replacement r WHERE r.file_id = f.file_id)
               FROM raw.file f WHERE f.source_kind = %s AND f.inbox_path = %s AND f.status = 'loaded'""",
            (settings.TIMEZONE, load_reports.SOURCE_KIND, inbox_path),
        ).fetchone()
        if current is None:
            continue
        file_id, rows_read, rows_loaded, rows_quarantined, loaded_on, withdrawn = current
        outcome = FileOutcome(inbox_path, "loaded", rows_read, rows_loaded, rows_quarantined, file_id=file_id)
        header = [outcome.describe()]
        if inbox_path in back:
            restored = sum(path == inbox_path for _, path, _, _ in result.restored)
            header.append(f"{restored} row(s) back since {changed_by} replaced the version of a file that had "
                          f"withdrawn them by report id")
        if withdrawn:
            header.append(f"{withdrawn} row(s) replaced since by rows with the same report id in later files "
                          f"(last: {changed_by})" if inbox_path not in back else
                          f"{withdrawn} row(s) still replaced by rows with the same report id in later files")
        path, _ = intake_report.write_report(conn, storage, inbox_path, file_id, header, loaded_on)
        log.info("%s: intake report written again after %s changed its rows: %s", inbox_path, changed_by, path)


def _check(conn: psycopg.Connection, prepared: PreparedFile, today: dt.date,
           storage: Path | None) -> FileOutcome | None:
    """The database's word on a prepared file, in inbox order: already loaded, a twin, unreadable (quarantined
    here), or None: to load."""
    version = prepared.version
    loaded, twin = (True, None) if prepared.skipped else load_reports.already_loaded_or_twin(conn, version)
    if loaded:
        return FileOutcome(prepared.inbox_path, "unchanged")
    if twin is not None:
        return FileOutcome(prepared.inbox_path, "unchanged", reason=f"identical to {twin}, already loaded",
                           identical_to=twin)
    if prepared.reason is not None:
        result = load_reports.quarantine_file(conn, version, prepared.reason)
        outcome = FileOutcome(prepared.inbox_path, "quarantined", reason=prepared.reason, file_id=result.file_id,
                              rows_restored=len(result.restored))
        _write_report(conn, storage, outcome, today)
        if storage is not None and result.restored:
            _rewrite_affected_reports(conn, storage, result, prepared.inbox_path)
        return outcome
    return None


def _apply_duplicate_marks(conn: psycopg.Connection, prepared: PreparedFile,
                           problems: dict[int, list[Problem]]) -> None:
    """A duplicate mark loads the report it names again, with its content as the warehouse holds it and the
    mark set; loading it withdraws the earlier row like any correction by report id. A mark naming no
    accepted report of the month is a problem of its row."""
    rows = prepared.rows
    marks = [i for i, row in rows.kept.items() if row.duplicate_mark and i not in problems]
    if not marks:
        return
    known = load_reports.current_reports_by_id(
        conn, prepared.version, sorted({rows.kept[i].record["external_id"] for i in marks})
    )
    for index in sorted(marks):
        row = rows.kept[index]
        report_id, duplicate_of = row.record["external_id"], row.record["duplicate_of"]
        report = known.get(report_id)
        if report is None:
            problems[index] = [Problem(
                prepared.headers[index].header_of("report_id"), "report_id", report_id,
                f"no accepted report with id {report_id} among this month's files; a duplicate mark names a report "
                f"already sent",
            )]
            continue
        *fields, content_hash = report
        fields[RECORD_FIELDS.index("duplicate_of")] = duplicate_of
        rows.report_lines[index] = load_reports.report_line(row.sheet, row.row_number, tuple(fields), content_hash)


def _unknown_duplicates(conn: psycopg.Connection, prepared: PreparedFile) -> dict[int, list[Problem]]:
    """A "Duplicate of" naming a report nobody sent (neither this file nor the warehouse)."""
    rows = prepared.rows
    given = set(filter(None, rows.external_ids))
    naming = {i: row.record["duplicate_of"] for i, row in rows.kept.items() if row.record.get("duplicate_of")}
    wanted = sorted(set(naming.values()) - given)
    if not wanted:
        return {}
    known = {i for (i,) in conn.execute(
        "SELECT DISTINCT external_id FROM core.report WHERE external_id = ANY(%s)", (wanted,)
    )}
    return {
        index: [Problem(prepared.headers[index].header_of("duplicate_of"), "duplicate_of", other,
                        f"no report with id {other} is known; give the id of the report this one duplicates")]
        for index, other in sorted(naming.items()) if other not in given and other not in known
    }


def _load(conn: psycopg.Connection, prepared: PreparedFile, storage: Path | None, today: dt.date) -> FileOutcome:
    unknown_duplicates = _unknown_duplicates(conn, prepared)
    problems: dict[int, list[Problem]] = {}
    for index in sorted({*prepared.problems, *unknown_duplicates, *prepared.suite_problems}):
        problems[index] = (prepared.problems.get(index, []) + unknown_duplicates.get(index, [])
                           + prepared.suite_problems.get(index, []))
    _apply_duplicate_marks(conn, prepared, problems)

    for name, reason in prepared.skipped_sheets:
        log.info("%s: sheet '%s' skipped: %s", prepared.inbox_path, name, reason)
    if prepared.unknown_columns:
        log.info("%s: columns not recognized (kept in raw.row): %s", prepared.inbox_path,
                 ", ".join(prepared.unknown_columns))
    result = load_reports.load_file(conn, prepared.version, prepared.rows, problems, prepared.sheets,
                                    prepared.unknown_columns)
    withdrawn_core = sum(was == "core" for was, *_ in result.withdrawn)
    rows_read = len(prepared.rows.raw_lines)
    outcome = FileOutcome(
        prepared.inbox_path, "loaded", rows_read, rows_read - len(problems) - withdrawn_core,
        len(problems) - (len(result.withdrawn) - withdrawn_core),
        file_id=result.file_id, rows_replaced=len(result.replaced), rows_restored=len(result.restored),
        rows_withdrawn=len(result.withdrawn),
    )
    _write_report(conn, storage, outcome, today)
    if storage is not None and (result.replaced or result.restored):
        _rewrite_affected_reports(conn, storage, result, prepared.inbox_path)
    return outcome


def _check_and_load(conn: psycopg.Connection, prepared: PreparedFile, storage: Path | None,
                    today: dt.date) -> FileOutcome:
    """One file's part of the warehouse work, in a transaction (or savepoint) of its own: a file the warehouse
    refuses is rolled back alone, named with the reason, and the next file goes on."""
    try:
        with conn.transaction():
            return _check(conn, prepared, today, storage) or _load(conn, prepared, storage, today)
    except Exception as exc:  # noqa: BLE001 — whatever it was, the other files must still load
        log.exception("%s: not loaded", prepared.inbox_path)
        return FileOutcome(prepared.inbox_path, "failed", reason=f"{type(exc).__name__}: {exc}")


def _loaded_versions(conn: psycopg.Connection, inbox_paths: list[str]) -> dict[str, list[str]]:
    """Path → sha256 of each current version loaded before this run."""
    loaded: dict[str, list[str]] = {}
    for path, sha in conn.execute(
        "SELECT inbox_path, sha256 FROM raw.file WHERE source_kind = %s AND status <> 'superseded' "
        "AND inbox_path = ANY(%s)",
        (load_reports.SOURCE_KIND, inbox_paths),
    ):
        loaded.setdefault(path, []).append(sha)
    return loaded


def _chunks(inbox_paths: list[str], chunk_files: int, shrinking: bool = False) -> list[list[str]]:
    """The files in chunks growing to ``chunk_files``: the first chunks are small, so that loading starts
    while the rest is prepared. With ``shrinking`` (worker processes prepare them), the last chunks are small
    again: chunks are loaded in inbox order, and what is left to load once the workers are done is loaded with
    the other CPUs idle."""
    tail: list[int] = []
    size = chunk_files * TAIL_SHRINK
    while shrinking and size >= TAIL_MIN_FILES:
        tail.append(round(size))
        size *= TAIL_SHRINK
    while sum(tail) > len(inbox_paths) // 2:  # a small inbox: a shorter tail, from its smaller chunks
        tail.pop(0)
    sizes, size, total, front = [], min(2, chunk_files), 0, len(inbox_paths) - sum(tail)
    while total < front:
        sizes.append(min(size, front - total))
        total, size = total + sizes[-1], min(size * 2, chunk_files)
    chunks, start = [], 0
    for size in sizes + tail:
        chunks.append(inbox_paths[start:start + size])
        start += size
    return chunks


def ingest_files(conn: psycopg.Connection, inbox: Path, inbox_paths: list[str], today: dt.date | None = None,
                 storage: Path | None = None, submitted_at: dt.datetime | None = None,
                 chunk_files: int = CHUNK_FILES, processes: int | None = None) -> list[FileOutcome]:
    """Read, normalize, check and load files of the correspondents inbox, in order.

    The work that needs no database (hashing, reading, normalizing, the data-quality suite, encoding rows for
    COPY; see intake_prepare) is done ``chunk_files`` files at a time; from PROCESS_MIN_FILES files on, by
    ``processes`` worker processes (default: settings.intake_processes()) running ahead of this one. This one
    does everything that needs the connection, file by file in inbox order: already loaded? identical to
    another file? quarantine or load, intake report. Each file is loaded in a transaction (or savepoint) of
    its own, so a file that fails leaves the others loaded. With ``storage``, each file's intake report is
    written there.

    ``submitted_at`` orders this run's files after those of earlier runs (default: now); within a run, inbox
    order decides. A report id given by several current files of a month belongs to the latest of them in
    that order, whichever was loaded first: the mapped tasks of one DAG run load their files concurrently.
    """
    submitted_at = submitted_at or dt.datetime.now(dt.timezone.utc)
    today = today or today_in_almaty()
    regions, category_groups = known_codes(conn)
    loaded_before = _loaded_versions(conn, inbox_paths)
    if processes is None:
        processes = settings.intake_processes() if len(inbox_paths) >= PROCESS_MIN_FILES else 1
    tasks = [
        intake_prepare.PrepareTask(inbox, chunk, today, {p: loaded_before[p] for p in chunk if p in loaded_before},
                                   submitted_at, regions, category_groups)
        for chunk in _chunks(inbox_paths, chunk_files, shrinking=processes > 1)
    ]
    outcomes: dict[str, FileOutcome] = {}
    twins: list[PreparedFile] = []
    with intake_workers.prepared_chunks(tasks, processes) as chunks:
        for chunk in chunks:
            for prepared in chunk:
                outcome = _check_and_load(conn, prepared, storage, today)
                outcomes[prepared.inbox_path] = outcome
                if outcome.identical_to is not None:
                    twins.append(prepared)
            if len(tasks) > 1:
                log.info("%d of %d files done", len(outcomes), len(inbox_paths))
    # A copy skipped as identical to a file that this run then replaced would stay unloaded until the next run
    # (which would then change the tables): look at the copies again now.
    for prepared in twins:
        outcomes[prepared.inbox_path] = _check_and_load(conn, prepared, storage, today)
    return [outcomes[p] for p in inbox_paths]


def ingest_file(conn: psycopg.Connection, inbox: Path, inbox_path: str, today: dt.date | None = None,
                storage: Path | None = None, submitted_at: dt.datetime | None = None) -> FileOutcome:
    """Read, normalize, check and load one file of the correspondents inbox. ``submitted_at``: when the run that
    found it began (see ingest_files), the same for every file of a DAG run. Raises when the warehouse refused
    the file, so that its task fails and is retried."""
    outcome = ingest_files(conn, inbox, [inbox_path], today, storage, submitted_at=submitted_at)[0]
    if outcome.status == "failed":
        raise RuntimeError(outcome.describe())
    return outcome


def ingest_inbox(conn: psycopg.Connection, inbox: Path, today: dt.date | None = None,
                 storage: Path | None = None) -> list[FileOutcome]:
    """Ingest every file of the inbox, then refresh the legal cases."""
    files = discover_files(inbox)
    outcomes = ingest_files(conn, inbox, files, today, storage)
    for number, outcome in enumerate(outcomes, start=1):
        log.info("[%d/%d] %s", number, len(files), outcome.describe())
    cases = load_reports.refresh_legal_cases(conn)
    log.info("legal cases refreshed: %d", cases)
    return outcomes


def summarize_outcomes(outcomes: list[dict]) -> dict:
    """Totals over file outcomes (as dicts, the form they travel in between tasks)."""
    return {
        "files": len(outcomes),
        "files_loaded": sum(o["status"] == "loaded" for o in outcomes),
        "files_unchanged": sum(o["status"] == "unchanged" for o in outcomes),
        "files_quarantined": sum(o["status"] == "quarantined" for o in outcomes),
        "files_failed": sum(o["status"] == "failed" for o in outcomes),
        "rows_read": sum(o["rows_read"] for o in outcomes),
        "rows_loaded": sum(o["rows_loaded"] for o in outcomes),
        "rows_quarantined": sum(o["rows_quarantined"] for o in outcomes),
        "rows_replaced": sum(o.get("rows_replaced", 0) for o in outcomes),
        "rows_restored": sum(o.get("rows_restored", 0) for o in outcomes),
    }

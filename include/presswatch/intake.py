"""Correspondent intake: find files in the inbox, then read → normalize → check → load each one.

Each file is handled on its own: a file that cannot be read is quarantined with its reason, and the
next file goes on. Every data row of a readable file ends in ``core.report`` or ``quarantine.row``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
import queue
import sys
import threading
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg

from . import intake_report, settings
from .normalize.headers import HeaderRow
from .normalize.rows import RECORD_FIELDS, NormalizedRow, Problem, normalize_sheet
from .quality import report_suite
from .sources.workbooks import UnreadableFile, Workbook, read_workbook
from .warehouse import load_reports
from .warehouse.reference_sync import known_codes

log = logging.getLogger(__name__)

CORRESPONDENTS_FOLDER = "correspondents"
# Rows read before the data-quality suite runs over them at once: bounds memory (at most three batches are
# held: one loading, one waiting, one being read), amortizes the suite (~0.3 s a call whatever its size).
BATCH_ROWS = 25_000
FIRST_BATCH_ROWS = 5_000
MAX_PROBLEM_LINES = 8
SWITCH_INTERVAL = 0.0005  # seconds; see ingest_files
# Files read at once and kept read ahead of the normalizing: reading is mostly outside the interpreter lock.
READ_THREADS = 2
READ_AHEAD_FILES = 6


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


@dataclass
class _ReadFile:
    """A file read and normalized, waiting for the data-quality suite."""
    inbox_path: str
    version: load_reports.FileVersion
    workbook: Workbook
    rows: list[NormalizedRow]
    headers: list[HeaderRow]  # the header of each row's sheet
    values: load_reports.RowValues | None = None  # what COPY writes, prepared in the reading thread


def correspondents_dir(inbox: Path) -> Path:
    return Path(inbox) / CORRESPONDENTS_FOLDER


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


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


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


@dataclass
class _Prepared:
    """One file after the work that needs no database: hashed, read and normalized (or found unreadable)."""
    inbox_path: str
    version: load_reports.FileVersion
    read: _ReadFile | None = None
    reason: str | None = None  # why the file could not be read
    skipped: bool = False  # these bytes were already loaded at this path when the run began: not read


def _read(inbox: Path, inbox_path: str, today: dt.date, loaded_before: set[tuple[str, str]],
          submitted_at: dt.datetime | None = None) -> _Prepared:
    """Hash and read one file; touches no database and holds the interpreter little (calamine parses a sheet
    and hashlib digests the bytes without it), so several files are read at once."""
    path = correspondents_dir(inbox) / inbox_path
    version = load_reports.FileVersion(
        inbox_path, _sha256(path), path.stat().st_size, intake_report.submission_month(inbox_path, today),
        submitted_at,
    )
    if (inbox_path, version.sha256) in loaded_before:
        return _Prepared(inbox_path, version, skipped=True)
    try:
        workbook = read_workbook(path)
    except UnreadableFile as exc:
        return _Prepared(inbox_path, version, reason=str(exc))
    except Exception as exc:  # a reader library choking on a malformed file must not stop the inbox
        log.exception("%s: reader failed", inbox_path)
        return _Prepared(inbox_path, version, reason=f"the file could not be read ({type(exc).__name__}: {exc})")
    return _Prepared(inbox_path, version, _ReadFile(inbox_path, version, workbook, [], []))


def _normalize_file(prepared: _Prepared) -> _Prepared:
    """Normalize the rows of a file that was read (in the reading thread, in inbox order)."""
    read = prepared.read
    if read is not None:
        for sheet in read.workbook.sheets:
            read.rows += normalize_sheet(sheet)
            read.headers += [sheet.header] * len(sheet.rows)
        read.values = load_reports.row_values(read.rows)
    return prepared


def _read_ahead(inbox: Path, inbox_paths: list[str], today: dt.date, loaded_before: set[tuple[str, str]],
                stop: threading.Event, submitted_at: dt.datetime):
    """The files read, in inbox order, by a few threads that keep up to READ_AHEAD_FILES files ahead."""
    with ThreadPoolExecutor(max_workers=READ_THREADS, thread_name_prefix="intake-read-file") as pool:
        pending: deque = deque()
        paths = iter(inbox_paths)
        try:
            for inbox_path in paths:
                pending.append(pool.submit(_read, inbox, inbox_path, today, loaded_before, submitted_at))
                if len(pending) >= READ_AHEAD_FILES:
                    break
            while pending and not stop.is_set():
                prepared = pending.popleft().result()
                next_path = next(paths, None)
                if next_path is not None:
                    pending.append(pool.submit(_read, inbox, next_path, today, loaded_before, submitted_at))
                yield prepared
        finally:
            for future in pending:
                future.cancel()


def _check(conn: psycopg.Connection, prepared: _Prepared, today: dt.date,
           storage: Path | None) -> FileOutcome | _ReadFile:
    """The database's word on a prepared file, in inbox order: already loaded, a twin, unreadable, or to load."""
    version = prepared.version
    if prepared.skipped or load_reports.already_loaded(conn, version):
        return FileOutcome(prepared.inbox_path, "unchanged")
    twin = load_reports.identical_current_file(conn, version)
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
    return prepared.read


def _validate_reports(rows: list[NormalizedRow], regions: list[str], category_groups: dict[str, str],
                      today: dt.date) -> dict[int, list[Problem]]:
    """The data-quality suite over the rows that are reports; a duplicate mark carries no report of its own
    (the report it names passed the suite when it was loaded)."""
    reports = [(index, row) for index, row in enumerate(rows) if not row.duplicate_mark]
    if len(reports) == len(rows):
        return report_suite.validate(rows, regions, category_groups, today)
    found = report_suite.validate([row for _, row in reports], regions, category_groups, today)
    return {reports[position][0]: problems for position, problems in found.items()}


def _apply_duplicate_marks(conn: psycopg.Connection, read: _ReadFile, problems: dict[int, list[Problem]]) -> None:
    """A duplicate mark loads the report it names again, with its content as the warehouse holds it and the
    mark set; loading it withdraws the earlier row like any correction by report id. A mark naming no
    accepted report of the month is a problem of its row."""
    marks = [i for i, row in enumerate(read.rows) if row.duplicate_mark and i not in problems]
    if not marks:
        return
    known = load_reports.current_reports_by_id(
        conn, read.version, sorted({read.rows[i].record["external_id"] for i in marks})
    )
    for index in marks:
        row = read.rows[index]
        report_id, duplicate_of = row.record["external_id"], row.record["duplicate_of"]
        report = known.get(report_id)
        if report is None:
            problems[index] = [Problem(
                read.headers[index].header_of("report_id"), "report_id", report_id,
                f"no accepted report with id {report_id} among this month's files; a duplicate mark names a report "
                f"already sent",
            )]
            continue
        *fields, content_hash = report
        fields[RECORD_FIELDS.index("duplicate_of")] = duplicate_of
        read.values.report[index] = (row.sheet, row.row_number, *fields, content_hash)


def _report_id_problems(conn: psycopg.Connection, read: _ReadFile) -> dict[int, list[Problem]]:
    """A report id given twice in a file; a "Duplicate of" naming a report nobody sent."""
    problems: dict[int, list[Problem]] = {}
    first_row: dict[str, NormalizedRow] = {}
    for index, row in enumerate(read.rows):
        report_id = row.record.get("external_id")
        if not report_id:
            continue
        if report_id in first_row:
            first = first_row[report_id]
            where = f"sheet {first.sheet}, row {first.row_number}" if first.sheet else f"row {first.row_number}"
            problems.setdefault(index, []).append(Problem(
                read.headers[index].header_of("report_id"), "report_id", report_id,
                f"report id {report_id} is already given in {where}; each report needs its own id",
            ))
        else:
            first_row[report_id] = row
    wanted = sorted({r.record["duplicate_of"] for r in read.rows if r.record.get("duplicate_of")} - set(first_row))
    if wanted:
        known = {i for (i,) in conn.execute(
            "SELECT DISTINCT external_id FROM core.report WHERE external_id = ANY(%s)", (wanted,)
        )}
        for index, row in enumerate(read.rows):
            other = row.record.get("duplicate_of")
            if other and other not in first_row and other not in known:
                problems.setdefault(index, []).append(Problem(
                    read.headers[index].header_of("duplicate_of"), "duplicate_of", other,
                    f"no report with id {other} is known; give the id of the report this one duplicates",
                ))
    return problems


def _load(conn: psycopg.Connection, read: _ReadFile, suite_problems: dict[int, list[Problem]],
          storage: Path | None, today: dt.date) -> FileOutcome:
    id_problems = _report_id_problems(conn, read)
    problems: dict[int, list[Problem]] = {}
    for index, row in enumerate(read.rows):
        found = list(row.problems) + id_problems.get(index, [])
        header = read.headers[index]
        # The suite names fields; a correspondent needs the column as written in the file.
        found += [dataclasses.replace(p, column=header.header_of(p.field)) for p in suite_problems.get(index, [])]
        if found:
            problems[index] = found
    _apply_duplicate_marks(conn, read, problems)

    workbook = read.workbook
    sheets = [
        {"sheet": s.name, "header_row": s.header.row_index + 1, "rows": len(s.rows),
         "missing_columns": [s.header.header_of(f) for f in s.header.missing_required],
         "duplicate_columns": s.header.duplicates}
        for s in workbook.sheets
    ] + [{"sheet": name, "skipped": reason} for name, reason in workbook.skipped_sheets]
    for name, reason in workbook.skipped_sheets:
        log.info("%s: sheet '%s' skipped: %s", read.inbox_path, name, reason)
    unknown = sorted({c for s in workbook.sheets for c in s.header.unknown})
    if unknown:
        log.info("%s: columns not recognized (kept in raw.row): %s", read.inbox_path, ", ".join(unknown))
    result = load_reports.load_file(conn, read.version, read.rows, problems, sheets, unknown, read.values)
    withdrawn_core = sum(was == "core" for was, *_ in result.withdrawn)
    outcome = FileOutcome(
        read.inbox_path, "loaded", len(read.rows), len(read.rows) - len(problems) - withdrawn_core,
        len(problems) - (len(result.withdrawn) - withdrawn_core),
        file_id=result.file_id, rows_replaced=len(result.replaced), rows_restored=len(result.restored),
        rows_withdrawn=len(result.withdrawn),
    )
    _write_report(conn, storage, outcome, today)
    if storage is not None and (result.replaced or result.restored):
        _rewrite_affected_reports(conn, storage, result, read.inbox_path)
    return outcome


def _check_and_load(conn: psycopg.Connection, prepared: _Prepared, suite_problems: dict[int, list[Problem]],
                    storage: Path | None, today: dt.date) -> FileOutcome:
    """One file's part of the warehouse work, in a transaction (or savepoint) of its own: a file the warehouse
    refuses is rolled back alone, named with the reason, and the next file goes on."""
    try:
        with conn.transaction():
            checked = _check(conn, prepared, today, storage)
            return checked if isinstance(checked, FileOutcome) else _load(conn, checked, suite_problems, storage, today)
    except Exception as exc:  # noqa: BLE001 — whatever it was, the other files must still load
        log.exception("%s: not loaded", prepared.inbox_path)
        return FileOutcome(prepared.inbox_path, "failed", reason=f"{type(exc).__name__}: {exc}")


def _loaded_versions(conn: psycopg.Connection, inbox_paths: list[str]) -> set[tuple[str, str]]:
    return {
        (path, sha) for path, sha in conn.execute(
            "SELECT inbox_path, sha256 FROM raw.file WHERE source_kind = %s AND status <> 'superseded' "
            "AND inbox_path = ANY(%s)",
            (load_reports.SOURCE_KIND, inbox_paths),
        )
    }


_DONE = object()


def ingest_files(conn: psycopg.Connection, inbox: Path, inbox_paths: list[str], today: dt.date | None = None,
                 storage: Path | None = None, batch_rows: int = BATCH_ROWS,
                 submitted_at: dt.datetime | None = None) -> list[FileOutcome]:
    """Read, normalize, check and load files of the correspondents inbox, in order.

    Files are read a batch at a time and the data-quality suite runs once over all rows of a batch (its
    cost is mostly per call); each file is still loaded in a transaction of its own, so a file that fails
    leaves the others loaded. With ``storage``, each file's intake report is written there.

    The work is shared by threads, none but this one touching the database: READ_THREADS threads hash and
    read the files ahead (see _read_ahead); a reading thread normalizes them in inbox order, prepares what
    COPY will write and runs the suite over each batch; this thread takes the batches in order and does
    everything that needs the connection (already loaded? identical to another file? quarantine or load,
    intake report), so the warehouse loads one batch while the next one is read. At most one batch waits
    between the two.

    ``submitted_at`` orders this run's files after those of earlier runs (default: now); within a run, inbox
    order decides. A report id given by several current files of a month belongs to the latest of them in
    that order, whichever was loaded first: the mapped tasks of one DAG run load their files concurrently.
    """
    submitted_at = submitted_at or dt.datetime.now(dt.timezone.utc)
    today = today or today_in_almaty()
    outcomes: dict[str, FileOutcome] = {}
    regions, category_groups = known_codes(conn)
    loaded_before = _loaded_versions(conn, inbox_paths)
    batches: queue.Queue = queue.Queue(maxsize=1)
    stop = threading.Event()

    def hand_over(item) -> bool:
        while not stop.is_set():
            try:
                batches.put(item, timeout=0.5)
                return True
            except queue.Full:
                continue
        return False

    def read_all() -> None:
        try:
            pending: list[_Prepared] = []
            rows_pending, handed = 0, False
            for number, prepared in enumerate(_read_ahead(inbox, inbox_paths, today, loaded_before, stop,
                                                          submitted_at)):
                if stop.is_set():
                    return
                prepared = _normalize_file(prepared)
                pending.append(prepared)
                rows_pending += len(prepared.read.rows) if prepared.read else 0
                # The first batch is small: the warehouse starts loading while the rest is read.
                if rows_pending >= (batch_rows if handed else min(batch_rows, FIRST_BATCH_ROWS)) \
                        or number == len(inbox_paths) - 1:
                    reads = [p.read for p in pending if p.read is not None]
                    all_rows = [row for read in reads for row in read.rows]
                    found = _validate_reports(all_rows, regions, category_groups, today)
                    if not hand_over((pending, found)):
                        return
                    pending, rows_pending, handed = [], 0, True
            hand_over(_DONE)
        except BaseException as exc:  # handed to the loading thread, which raises it
            hand_over(exc)

    reader = threading.Thread(target=read_all, name="intake-read", daemon=True)
    # This thread mostly waits for the warehouse and then needs the interpreter back at once; with the default
    # 5 ms switch interval every round trip would wait for the reading thread's time slice to end.
    switch_interval = sys.getswitchinterval()
    sys.setswitchinterval(min(switch_interval, SWITCH_INTERVAL))
    twins: list[tuple[_Prepared, dict[int, list[Problem]]]] = []
    reader.start()
    try:
        while True:
            item = batches.get()
            if item is _DONE:
                break
            if isinstance(item, BaseException):
                raise item
            pending, found = item
            offset = 0
            for prepared in pending:
                mine = {}
                if prepared.read is not None:
                    size = len(prepared.read.rows)
                    mine = {i - offset: p for i, p in found.items() if offset <= i < offset + size}
                    offset += size
                outcome = _check_and_load(conn, prepared, mine, storage, today)
                outcomes[prepared.inbox_path] = outcome
                if outcome.identical_to is not None:
                    twins.append((prepared, mine))
        # A copy skipped as identical to a file that this run then replaced would stay unloaded until the next
        # run (which would then change the tables): look at the copies again now.
        for prepared, mine in twins:
            outcomes[prepared.inbox_path] = _check_and_load(conn, prepared, mine, storage, today)
    finally:
        stop.set()
        reader.join()
        sys.setswitchinterval(switch_interval)
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

"""Correspondent files made ready for the warehouse without a connection to it: hashed, read, normalized,
checked by the data-quality suite, and encoded as the lines COPY will write.

Nothing here needs a connection, so a large inbox is prepared by worker processes (intake_workers), a chunk
of files per task, while the loading process writes the chunks before (intake.ingest_files). A chunk is the
unit of the suite: its cost is mostly per call, so it runs once over all rows of a chunk.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import hashlib
import logging
from dataclasses import dataclass, field
from pathlib import Path

from . import intake_report
from .normalize.headers import HeaderRow
from .normalize.rows import NormalizedRow, Problem, normalize_sheet, storable
from .quality import report_suite
from .sources.workbooks import UnreadableFile, Workbook, read_workbook
from .warehouse import load_reports

log = logging.getLogger(__name__)

CORRESPONDENTS_FOLDER = "correspondents"


@dataclass(frozen=True)
class PrepareTask:
    """A chunk of files to prepare, with what the warehouse said before the run began."""
    inbox: Path
    inbox_paths: list[str]
    today: dt.date
    loaded_before: dict[str, list[str]]  # path → sha256 of its versions loaded before this run
    submitted_at: dt.datetime | None
    regions: list[str]  # codes the warehouse knows, for the suite
    category_groups: dict[str, str]


@dataclass
class PreparedFile:
    """One file as the warehouse will take it (or the reason it cannot, or that it needs no reading)."""
    inbox_path: str
    version: load_reports.FileVersion
    reason: str | None = None  # why the file could not be read
    skipped: bool = False  # these bytes were already loaded at this path when the run began: not read
    rows: load_reports.FileRows | None = None  # None unless the file was read
    problems: dict[int, list[Problem]] = field(default_factory=dict)  # found reading it, columns as written
    suite_problems: dict[int, list[Problem]] = field(default_factory=dict)  # found by the suite, ditto
    headers: dict[int, HeaderRow] = field(default_factory=dict)  # the header of each kept row's sheet
    sheets: list[dict] = field(default_factory=list)  # raw.file.sheets: each sheet read or skipped
    skipped_sheets: list[tuple[str, str]] = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)


def correspondents_dir(inbox: Path) -> Path:
    return Path(inbox) / CORRESPONDENTS_FOLDER


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, as raw.file.sha256 holds it."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _read(task: PrepareTask, inbox_path: str) -> tuple[PreparedFile, list[NormalizedRow]]:
    """Hash, read and normalize one file."""
    path = correspondents_dir(task.inbox) / inbox_path
    version = load_reports.FileVersion(
        inbox_path, file_sha256(path), path.stat().st_size, intake_report.submission_month(inbox_path, task.today),
        task.submitted_at,
    )
    if version.sha256 in task.loaded_before.get(inbox_path, ()):
        return PreparedFile(inbox_path, version, skipped=True), []
    try:
        workbook = read_workbook(path)
    except UnreadableFile as exc:
        return PreparedFile(inbox_path, version, reason=str(exc)), []
    except Exception as exc:  # a reader library choking on a malformed file must not stop the inbox
        log.exception("%s: reader failed", inbox_path)
        return PreparedFile(inbox_path, version, reason=f"the file could not be read ({type(exc).__name__}: {exc})"), []
    _storable_names(workbook)
    prepared = PreparedFile(
        inbox_path, version,
        sheets=[
            {"sheet": s.name, "header_row": s.header.row_index + 1, "rows": len(s.rows),
             "missing_columns": [s.header.header_of(f) for f in s.header.missing_required],
             "duplicate_columns": s.header.duplicates}
            for s in workbook.sheets
        ] + [{"sheet": name, "skipped": reason} for name, reason in workbook.skipped_sheets],
        skipped_sheets=list(workbook.skipped_sheets),
        unknown_columns=sorted({c for s in workbook.sheets for c in s.header.unknown}),
    )
    rows: list[NormalizedRow] = []
    headers: list[HeaderRow] = []
    try:
        for sheet in workbook.sheets:
            rows += normalize_sheet(sheet)
            headers += [sheet.header] * len(sheet.rows)
    except Exception as exc:  # a value no parser foresaw must not stop the other files of the chunk
        log.exception("%s: normalizing failed", inbox_path)
        return PreparedFile(inbox_path, version, reason=f"the file could not be read ({type(exc).__name__}: {exc})"), []
    prepared.headers = dict(enumerate(headers))  # cut down to the kept rows in _finish
    return prepared, rows


def _storable_names(workbook: Workbook) -> None:
    """Sheet names and header labels as the warehouse can store them: a NUL character (an xls may hold one)
    stands as U+FFFD, as in cells (normalize.rows). The labels still name their fields: matching ignores it."""
    for sheet in workbook.sheets:
        header = sheet.header
        sheet.name = storable(sheet.name)
        header.headers = {index: storable(text) for index, text in header.headers.items()}
        header.unknown = [storable(text) for text in header.unknown]
        header.duplicates = [storable(text) for text in header.duplicates]
    workbook.skipped_sheets = [(storable(name), reason) for name, reason in workbook.skipped_sheets]


def _twice_given(rows: list[NormalizedRow], headers: dict[int, HeaderRow]) -> dict[int, list[Problem]]:
    """A report id given twice in a file: each report needs its own."""
    problems: dict[int, list[Problem]] = {}
    first_row: dict[str, NormalizedRow] = {}
    for index, row in enumerate(rows):
        report_id = row.record.get("external_id")
        if not report_id:
            continue
        first = first_row.setdefault(report_id, row)
        if first is not row:
            where = f"sheet {first.sheet}, row {first.row_number}" if first.sheet else f"row {first.row_number}"
            problems[index] = [Problem(
                headers[index].header_of("report_id"), "report_id", report_id,
                f"report id {report_id} is already given in {where}; each report needs its own id",
            )]
    return problems


def _finish(prepared: PreparedFile, rows: list[NormalizedRow], suite_problems: dict[int, list[Problem]]) -> None:
    """Merge what was found in the file, keep whole only the rows the load may still need, encode the rest."""
    headers = prepared.headers
    twice = _twice_given(rows, headers)
    prepared.problems = {
        index: list(row.problems) + twice.get(index, [])
        for index, row in enumerate(rows) if row.problems or index in twice
    }
    # The suite names fields; a correspondent needs the column as written in the file.
    prepared.suite_problems = {
        index: [Problem(headers[index].header_of(p.field), p.field, p.value, p.reason) for p in found]
        for index, found in suite_problems.items()
    }
    # Whole rows travel only where the load may quarantine them: found with problems here, or naming a
    # report the warehouse has to know (a duplicate mark, "duplicate of").
    keep = {
        index for index, row in enumerate(rows)
        if index in prepared.problems or index in suite_problems or row.duplicate_mark or row.record.get("duplicate_of")
    }
    prepared.rows = load_reports.file_rows(rows, keep)
    prepared.headers = {index: headers[index] for index in keep}


@contextlib.contextmanager
def _cyclic_gc_paused():
    """The rows built here hold no reference cycles, yet the tens of thousands of objects they are made of set
    off the cyclic collector again and again, each time walking all that is alive (a quarter of the
    normalizing time): it waits until the chunk is done."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def prepare_files(task: PrepareTask) -> list[PreparedFile]:
    """Every file of the chunk, in order, ready for the warehouse."""
    with _cyclic_gc_paused():
        return _prepare_files(task)


def _prepare_files(task: PrepareTask) -> list[PreparedFile]:
    read = [_read(task, inbox_path) for inbox_path in task.inbox_paths]
    # A duplicate mark carries no report of its own: the report it names passed the suite when it was loaded.
    reports = [(number, index, row) for number, (_, rows) in enumerate(read)
               for index, row in enumerate(rows) if not row.duplicate_mark]
    found = report_suite.validate([row for *_, row in reports], task.regions, task.category_groups, task.today)
    by_file: list[dict[int, list[Problem]]] = [{} for _ in read]
    for position, problems in found.items():
        number, index, _ = reports[position]
        by_file[number][index] = problems
    for (prepared, rows), suite_problems in zip(read, by_file):
        if prepared.reason is None and not prepared.skipped:
            _finish(prepared, rows, suite_problems)
    return [prepared for prepared, _ in read]

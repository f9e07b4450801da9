"""Correspondent intake: find files in the inbox, then read → normalize → check → load each one.

Each file is handled on its own: a file that cannot be read is quarantined with its reason, and the
next file goes on. Every data row of a readable file ends in ``core.report`` or ``quarantine.row``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg

from . import settings
from .normalize.rows import NormalizedRow, Problem, normalize_row
from .quality import report_suite
from .sources.workbooks import UnreadableFile, read_workbook
from .warehouse import load_reports
from .warehouse.reference_sync import known_codes

log = logging.getLogger(__name__)

CORRESPONDENTS_FOLDER = "correspondents"


@dataclass
class FileOutcome:
    inbox_path: str
    status: str  # loaded, unchanged, quarantined
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    reason: str | None = None
    file_id: int | None = None

    def describe(self) -> str:
        if self.status == "quarantined":
            return f"{self.inbox_path}: file quarantined: {self.reason}"
        if self.status == "unchanged":
            return f"{self.inbox_path}: unchanged since its last load, skipped"
        return (f"{self.inbox_path}: read {self.rows_read} rows, loaded {self.rows_loaded}, "
                f"quarantined {self.rows_quarantined}")


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


def ingest_file(conn: psycopg.Connection, inbox: Path, inbox_path: str, today: dt.date | None = None) -> FileOutcome:
    """Read, normalize, check and load one file of the correspondents inbox."""
    path = correspondents_dir(inbox) / inbox_path
    version = load_reports.FileVersion(inbox_path, _sha256(path), path.stat().st_size)
    if load_reports.already_loaded(conn, version):
        return FileOutcome(inbox_path, "unchanged")
    try:
        workbook = read_workbook(path)
    except UnreadableFile as exc:
        reason = str(exc)
    except Exception as exc:  # a reader library choking on a malformed file must not stop the inbox
        log.exception("%s: reader failed", inbox_path)
        reason = f"the file could not be read ({type(exc).__name__}: {exc})"
    else:
        reason = None
    if reason is not None:
        file_id = load_reports.quarantine_file(conn, version, reason)
        return FileOutcome(inbox_path, "quarantined", reason=reason, file_id=file_id)

    rows: list[NormalizedRow] = []
    sheet_of_row = []
    for sheet in workbook.sheets:
        for data_row in sheet.rows:
            rows.append(normalize_row(sheet, data_row))
            sheet_of_row.append(sheet)
    regions, category_groups = known_codes(conn)
    suite_problems = report_suite.validate(rows, regions, category_groups, today or today_in_almaty())
    problems: dict[int, list[Problem]] = {}
    for index, row in enumerate(rows):
        found = list(row.problems)
        header = sheet_of_row[index].header
        # The suite names fields; a correspondent needs the column as written in the file.
        found += [dataclasses.replace(p, column=header.header_of(p.field)) for p in suite_problems.get(index, [])]
        if found:
            problems[index] = found

    sheets = [
        {"sheet": s.name, "header_row": s.header.row_index + 1, "rows": len(s.rows),
         "missing_columns": s.header.missing_required, "duplicate_columns": s.header.duplicates}
        for s in workbook.sheets
    ] + [{"sheet": name, "skipped": reason} for name, reason in workbook.skipped_sheets]
    for name, reason in workbook.skipped_sheets:
        log.info("%s: sheet '%s' skipped: %s", inbox_path, name, reason)
    unknown = sorted({c for s in workbook.sheets for c in s.header.unknown})
    if unknown:
        log.info("%s: columns not recognized (kept in raw.row): %s", inbox_path, ", ".join(unknown))
    file_id = load_reports.load_file(conn, version, rows, problems, sheets, unknown)
    return FileOutcome(inbox_path, "loaded", len(rows), len(rows) - len(problems), len(problems), file_id=file_id)


def ingest_inbox(conn: psycopg.Connection, inbox: Path, today: dt.date | None = None) -> list[FileOutcome]:
    """Ingest every file of the inbox, one at a time, then refresh the legal cases."""
    outcomes = []
    files = discover_files(inbox)
    for number, inbox_path in enumerate(files, start=1):
        outcome = ingest_file(conn, inbox, inbox_path, today)
        log.info("[%d/%d] %s", number, len(files), outcome.describe())
        outcomes.append(outcome)
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
        "rows_read": sum(o["rows_read"] for o in outcomes),
        "rows_loaded": sum(o["rows_loaded"] for o in outcomes),
        "rows_quarantined": sum(o["rows_quarantined"] for o in outcomes),
    }

"""The intake report of one file version: what was rejected, where and why, for the correspondent.

The warehouse holds it as the view ``quarantine.intake_report``; this module writes the readable copy
under ``<STORAGE>/intake/YYYY-MM/`` as ``<file>.txt`` (to read or forward) and ``<file>.csv`` (to sort and
filter), and summarizes it in one line per column for the task log. The CSV is written for spreadsheet
programs: a value that would run as a formula is written as text.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import psycopg

from .normalize.text import spreadsheet_safe

INTAKE_FOLDER = "intake"
CSV_COLUMNS = ("level", "sheet", "row", "column", "value", "reason")
_MONTH_FOLDER = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


@dataclass(frozen=True)
class Line:
    level: str
    sheet: str | None
    row_number: int | None
    column: str | None
    value: str | None
    reason: str

    def where(self) -> str:
        parts = []
        if self.sheet:
            parts.append(f"sheet {self.sheet}")
        if self.row_number is not None and self.level == "row":
            parts.append(f"row {self.row_number}")
        if self.column:
            parts.append(f"column {self.column}")
        return ", ".join(parts) or "file"


def month_folder(inbox_path: str, loaded_on: dt.date) -> str:
    """YYYY-MM of the inbox sub-folder the file lies in, else of the day it was loaded."""
    for part in Path(inbox_path).parts[:-1]:
        if _MONTH_FOLDER.match(part):
            return part
    return f"{loaded_on:%Y-%m}"


def submission_month(inbox_path: str, loaded_on: dt.date) -> dt.date:
    year, month = month_folder(inbox_path, loaded_on).split("-")
    return dt.date(int(year), int(month), 1)


def report_name(inbox_path: str) -> str:
    """The file's name, with its sub-folders below the month folder, as one safe file name."""
    parts = [p for p in Path(inbox_path).parts if not _MONTH_FOLDER.match(p)]
    name = "__".join(parts) or "file"
    return re.sub(r"[^\w.\- ]", "_", name)


def lines_for(conn: psycopg.Connection, file_id: int) -> list[Line]:
    rows = conn.execute(
        """SELECT level, sheet, row_number, column_name, value, reason FROM quarantine.intake_report
           WHERE file_id = %s
           ORDER BY array_position(ARRAY['file', 'sheet', 'column', 'row'], level), sheet NULLS FIRST,
                    row_number NULLS FIRST, column_name""",
        (file_id,),
    ).fetchall()
    return [Line(*row) for row in rows]


def summary_by_column(lines: list[Line]) -> list[str]:
    """'Регион: 3 rows' per column of row problems, most first, then the other lines as they are."""
    counts = Counter(line.column or "(row)" for line in lines if line.level == "row")
    summary = [f"{column}: {count} row{'s' if count != 1 else ''}" for column, count in counts.most_common()]
    summary += [f"{line.where()}: {line.reason}" for line in lines if line.level != "row"]
    return summary


def _text(inbox_path: str, header: list[str], lines: list[Line]) -> str:
    out = [f"Intake report: {inbox_path}", *header, ""]
    if not lines:
        out.append("Nothing was rejected.")
    for line in lines:
        value = f" '{line.value}'" if line.value is not None and line.level == "row" and line.value not in line.reason else ""
        out.append(f"{line.where()}:{value} {line.reason}".rstrip())
    return "\n".join(out) + "\n"


def _csv(lines: list[Line]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for line in lines:
        writer.writerow(
            spreadsheet_safe("" if v is None else str(v))
            for v in (line.level, line.sheet, line.row_number, line.column, line.value, line.reason)
        )
    return buffer.getvalue()


def _write_atomically(path: Path, text: str, encoding: str) -> None:
    temp = path.with_name(f".{path.name}.tmp")
    temp.write_text(text, encoding=encoding, newline="")
    os.replace(temp, path)


def write_report(conn: psycopg.Connection, storage: Path, inbox_path: str, file_id: int, header: list[str],
                 loaded_on: dt.date) -> tuple[Path, list[Line]]:
    """Write <storage>/intake/YYYY-MM/<file>.txt and .csv for a file version; returns the .txt path and lines."""
    lines = lines_for(conn, file_id)
    folder = Path(storage) / INTAKE_FOLDER / month_folder(inbox_path, loaded_on)
    folder.mkdir(parents=True, exist_ok=True)
    name = report_name(inbox_path)
    text_path = folder / f"{name}.txt"
    _write_atomically(text_path, _text(inbox_path, header, lines), "utf-8")
    # utf-8 with BOM: Excel opens it with Cyrillic intact.
    _write_atomically(folder / f"{name}.csv", _csv(lines), "utf-8-sig")
    return text_path, lines

"""Reading correspondent workbooks (xlsx, xlsm, xls, ods, csv, tsv) into header-mapped rows.

A file that cannot be read at all raises ``UnreadableFile`` with a reason meant for the correspondent;
a sheet without a recognizable header is skipped with its reason (an instructions sheet is no error).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from ..normalize.headers import HeaderRow, find_header
from ..normalize.text import clean_cell

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}
TEXT_SUFFIXES = {".csv", ".tsv", ".txt"}
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_ROWS_PER_SHEET = 100_000
CSV_DELIMITERS = ";,\t|"

_ZIP_MAGIC = b"PK\x03\x04"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class UnreadableFile(Exception):
    """The file as a whole cannot be read; the message says why."""


@dataclass
class DataRow:
    row_number: int  # as a spreadsheet program shows it
    cells: list[object]


@dataclass
class Sheet:
    name: str  # '' for CSV
    header: HeaderRow
    rows: list[DataRow]


@dataclass
class Workbook:
    sheets: list[Sheet] = field(default_factory=list)
    skipped_sheets: list[tuple[str, str]] = field(default_factory=list)

    @property
    def row_count(self) -> int:
        return sum(len(s.rows) for s in self.sheets)


def _is_blank(cells: list[object]) -> bool:
    return all(clean_cell(c) is None for c in cells)


def _sheet_from_grid(name: str, grid: list[list[object]], book: Workbook) -> None:
    header = find_header(grid)
    if header is None:
        book.skipped_sheets.append((name, "no header row with the required columns in the first rows"))
        return
    rows = [
        DataRow(index + 1, cells)
        for index, cells in enumerate(grid[header.row_index + 1:], start=header.row_index + 1)
        if not _is_blank(cells)
    ]
    if len(rows) > MAX_ROWS_PER_SHEET:
        raise UnreadableFile(f"sheet '{name}' has {len(rows)} rows, more than the limit of {MAX_ROWS_PER_SHEET}")
    book.sheets.append(Sheet(name, header, rows))


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM) when it decodes strictly, else windows-1251."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1251")


def _read_delimited(data: bytes, suffix: str, book: Workbook) -> None:
    text = decode_text(data)
    if "\x00" in text:
        raise UnreadableFile("not a text file: it contains binary data")
    sample = text[:20_000]
    if suffix == ".tsv":
        delimiter = "\t"
    else:
        try:
            delimiter = csv.Sniffer().sniff(sample, delimiters=CSV_DELIMITERS).delimiter
        except csv.Error:
            delimiter = max(CSV_DELIMITERS, key=sample.count)
    grid = [list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    _sheet_from_grid("", grid, book)


def _read_spreadsheet(path: Path, head: bytes, book: Workbook) -> None:
    import python_calamine as calamine

    suffix = path.suffix.lower()
    if suffix in {".xlsx", ".xlsm", ".ods"} and head.startswith(_OLE2_MAGIC):
        raise UnreadableFile("the workbook is password-protected or encrypted; send it without a password")
    if suffix in {".xlsx", ".xlsm", ".ods"} and not head.startswith(_ZIP_MAGIC):
        raise UnreadableFile(f"not a valid {suffix} workbook (the file is damaged or has the wrong extension)")
    try:
        workbook = calamine.CalamineWorkbook.from_path(str(path))
        for name in workbook.sheet_names:
            grid = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
            _sheet_from_grid(name, grid, book)
    except calamine.PasswordError:
        raise UnreadableFile("the workbook is password-protected; send it without a password") from None
    except (calamine.CalamineError, calamine.ZipError, calamine.XmlError) as exc:
        raise UnreadableFile(f"the workbook is damaged and cannot be read ({exc})") from None


def read_workbook(path: Path) -> Workbook:
    """Every sheet of the file that has a header, with its non-blank data rows."""
    suffix = path.suffix.lower()
    if suffix not in SPREADSHEET_SUFFIXES | TEXT_SUFFIXES:
        raise UnreadableFile(f"not a spreadsheet ('{suffix or path.name}'): send xlsx, xls, ods or csv")
    size = path.stat().st_size
    if size == 0:
        raise UnreadableFile("the file is empty")
    if size > MAX_FILE_BYTES:
        raise UnreadableFile(f"the file is {size // (1024 * 1024)} MB, more than the limit of {MAX_FILE_BYTES // (1024 * 1024)} MB")
    book = Workbook()
    if suffix in TEXT_SUFFIXES:
        _read_delimited(path.read_bytes(), suffix, book)
    else:
        with path.open("rb") as handle:
            head = handle.read(8)
        _read_spreadsheet(path, head, book)
    if not book.sheets:
        reasons = "; ".join(f"sheet '{n}': {r}" if n else r for n, r in book.skipped_sheets)
        raise UnreadableFile(f"no sheet has a recognizable header row ({reasons})")
    return book

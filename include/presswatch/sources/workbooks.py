"""Reading correspondent workbooks (xlsx, xlsm, xls, ods, csv, tsv) into header-mapped rows.

A file that cannot be read at all raises ``UnreadableFile`` with a reason meant for the correspondent;
a sheet without a recognizable header is skipped with its reason (an instructions sheet is no error);
a cell whose value the file does not hold (a formula saved without its result) is named on its row.
"""

from __future__ import annotations

import csv
import io
import logging
import xml.etree.ElementTree as ET
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from ..normalize.headers import (HEADER_ROWS_READ, HEADER_SEARCH_ROWS, HeaderRow, Merge, find_duplicate_marks_header,
                                 find_header)
from ..normalize.text import clean_cell
from .formulas import formulas_without_value
from .ods_grid import merged_cells

log = logging.getLogger(__name__)

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}
TEXT_SUFFIXES = {".csv", ".tsv", ".txt"}
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_ROWS_PER_SHEET = 100_000
MAX_ROWS_PER_FILE = 200_000
# Zip containers (xlsx, xlsm, ods) are checked from their directory before any entry is inflated:
# a few kilobytes that unpack to gigabytes would otherwise exhaust the worker's memory.
MAX_UNCOMPRESSED_BYTES = 500 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200  # sheet XML compresses 5-30x; a bomb compresses 1000x and more
RATIO_CHECK_FROM_BYTES = 10 * 1024 * 1024  # small entries may compress well without harm
MAX_ZIP_ENTRIES = 10_000
CSV_DELIMITERS = ";,\t|"

_ZIP_MAGIC = b"PK\x03\x04"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Names of the streams of an encrypted Office document (OLE2 directory entries are UTF-16LE).
_OLE2_ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")
_PDF_MAGIC = b"%PDF"


class UnreadableFile(Exception):
    """The file as a whole cannot be read; the message says why."""


@dataclass(frozen=True)
class UnreadableCell:
    """A cell that reads as empty because the file does not hold its value."""
    index: int  # column index, as in DataRow.cells
    shown: str | None  # what the cell holds instead, as a spreadsheet program shows it (the formula)
    reason: str  # for the correspondent: what is wrong and what to do


@dataclass
class DataRow:
    row_number: int  # as a spreadsheet program shows it
    cells: list[object]
    unreadable_cells: tuple[UnreadableCell, ...] = ()  # empty for almost every row


def formula_without_value(index: int, formula: str) -> UnreadableCell:
    """The cell in column ``index`` holds ``formula`` ('' when not known) but no calculated value."""
    written = f"the formula {formula}" if formula else "a formula"
    return UnreadableCell(index, formula or None, (
        f"the cell holds {written} but no saved value (the file was written by a program that does not "
        f"calculate formulas); open the file in a spreadsheet program and save it again, or paste the "
        f"values instead of the formulas"
    ))


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


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB" if n >= 100 * 1024 else f"{n} bytes"


def _is_blank(cells: list[object]) -> bool:
    for cell in cells:
        if cell is None:
            continue
        if type(cell) is str:
            if cell.strip():  # str.strip() takes non-breaking spaces too, as clean_cell does
                return False
        elif clean_cell(cell) is not None:
            return False
    return True


def _trimmed(cells: list[object], width: int) -> list[object]:
    """The row without the empty cells right of the last header column (stray spaces, formatting)."""
    if len(cells) <= width:
        return cells
    tail = cells[width:]
    if all(clean_cell(c) is None for c in tail):
        return cells[:width]
    return cells


def _unreadable_by_row(formulas: dict[tuple[int, int], str], grid: list[list[object]], header: HeaderRow,
                       width: int) -> dict[int, tuple[UnreadableCell, ...]]:
    """Grid row index → the cells of the table below the header that hold a formula but read as empty."""
    by_row: dict[int, list[UnreadableCell]] = {}
    for (row_index, column_index), formula in sorted(formulas.items()):
        if row_index <= header.row_index or column_index >= width or row_index >= len(grid):
            continue
        cells = grid[row_index]
        if column_index < len(cells) and clean_cell(cells[column_index]) is not None:
            continue  # the reader found a value after all
        by_row.setdefault(row_index, []).append(formula_without_value(column_index, formula))
    return {row_index: tuple(cells) for row_index, cells in by_row.items()}


def _sheet_from_grid(name: str, grid: list[list[object]], book: Workbook,
                     formulas: dict[tuple[int, int], str] | None = None, merges: Iterable[Merge] = ()) -> None:
    """Add the sheet's header and data rows to the book (or the reason it is skipped).

    ``formulas``: (row, column) 0-based → formula text of the cells saved without a value.
    ``merges``: the sheet's merged cells, which tell how far a group label of the header reaches.
    """
    if not any(not _is_blank(cells) for cells in grid[:HEADER_SEARCH_ROWS]):
        book.skipped_sheets.append((name, "the sheet is empty"))
        return
    header = find_header(grid, merges) or find_duplicate_marks_header(grid)
    if header is None:
        book.skipped_sheets.append((name, "no header row with the required columns in the first rows"))
        return
    width = max(header.headers) + 1
    unreadable = _unreadable_by_row(formulas, grid, header, width) if formulas else {}
    rows = []
    # Data starts below the header's last row (the lowest one of a header over several rows).
    for index in range(header.row_index + 1, len(grid)):
        cells = grid[index]
        if _is_blank(cells):
            continue
        rows.append(DataRow(index + 1, _trimmed(cells, width), unreadable.get(index, ())))
        if len(rows) > MAX_ROWS_PER_SHEET:
            label = f"sheet '{name}'" if name else "the file"
            raise UnreadableFile(f"{label} has more than {MAX_ROWS_PER_SHEET} rows, the limit per sheet; split it")
    if book.row_count + len(rows) > MAX_ROWS_PER_FILE:
        raise UnreadableFile(f"the workbook has more than {MAX_ROWS_PER_FILE} rows, the limit per file; split it")
    book.sheets.append(Sheet(name, header, rows))


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM) when it decodes strictly, else windows-1251."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1251")


def _delimiters(sample: str, suffix: str) -> list[str]:
    """Candidate delimiters, the likeliest first: tab for .tsv, else the sniffed one, then by frequency."""
    if suffix == ".tsv":
        first = "\t"
    else:
        try:
            first = csv.Sniffer().sniff(sample, delimiters=CSV_DELIMITERS).delimiter
        except csv.Error:
            first = max(CSV_DELIMITERS, key=sample.count)
    return [first, *sorted((d for d in CSV_DELIMITERS if d != first), key=sample.count, reverse=True)]


def _read_delimited(data: bytes, suffix: str, book: Workbook) -> None:
    if data.startswith((_ZIP_MAGIC, _OLE2_MAGIC, _PDF_MAGIC)) or b"\x00" in data[:4096]:
        raise UnreadableFile(f"not a text file: it contains binary data (a workbook or document saved as {suffix}?)")
    text = decode_text(data)
    if "\x00" in text:
        raise UnreadableFile("not a text file: it contains binary data")
    if not text.strip():
        raise UnreadableFile("the file is empty (only blank lines)")
    sample = text[:20_000]
    head_lines = "\n".join(sample.splitlines()[:HEADER_ROWS_READ])
    # The sniffer is fooled by commas in descriptions: keep the delimiter under which a header is found.
    chosen = None
    for delimiter in _delimiters(sample, suffix):
        head = list(csv.reader(io.StringIO(head_lines, newline=""), delimiter=delimiter))
        if find_header(head) is not None:
            chosen = delimiter
            break
    grid = [list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=chosen or _delimiters(sample, suffix)[0])]
    _sheet_from_grid("", grid, book)


def check_zip_container(path: Path, suffix: str) -> None:
    """Refuse a zip-based workbook that is damaged, encrypted or would inflate beyond the limits.

    Only the zip directory is read (declared sizes), nothing is decompressed.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
            names = {e.filename for e in entries}
            if len(entries) > MAX_ZIP_ENTRIES:
                raise UnreadableFile(f"the workbook holds {len(entries)} parts, more than a spreadsheet has; not read")
            total = sum(e.file_size for e in entries)
            if total > MAX_UNCOMPRESSED_BYTES:
                raise UnreadableFile(
                    f"the workbook would unpack to {_size(total)}, more than the limit of "
                    f"{_size(MAX_UNCOMPRESSED_BYTES)} (a decompression bomb?); not read"
                )
            for entry in entries:
                ratio = entry.file_size / max(entry.compress_size, 1)
                if entry.file_size > RATIO_CHECK_FROM_BYTES and ratio > MAX_COMPRESSION_RATIO:
                    raise UnreadableFile(
                        f"part '{entry.filename}' of the workbook would unpack {ratio:.0f} times its size "
                        f"(a decompression bomb?); not read"
                    )
            if suffix == ".ods":
                if "content.xml" not in names:
                    raise UnreadableFile("not a valid .ods spreadsheet (no content.xml; damaged or another kind of file)")
                manifest = archive.read("META-INF/manifest.xml") if "META-INF/manifest.xml" in names else b""
                if b"encryption-data" in manifest:
                    raise UnreadableFile("the spreadsheet is password-protected; send it without a password")
            elif "xl/workbook.xml" not in names and "xl/workbook.bin" not in names:
                kind = "a Word document" if "word/document.xml" in names else (
                    "a PowerPoint presentation" if "ppt/presentation.xml" in names else "a zip archive")
                raise UnreadableFile(f"not a spreadsheet: the file is {kind} with a {suffix} extension")
    except zipfile.BadZipFile as exc:
        raise UnreadableFile(f"the workbook is damaged and cannot be read ({exc})") from None


def _check_ole2(path: Path, suffix: str) -> None:
    """An OLE2 container is an .xls workbook, or an encrypted xlsx (Office wraps those in OLE2)."""
    with path.open("rb") as handle:
        directory = handle.read(1 << 20)
    if _OLE2_ENCRYPTION_STREAM in directory:
        raise UnreadableFile("the workbook is password-protected or encrypted; send it without a password")
    if suffix != ".xls":
        raise UnreadableFile(f"not a valid {suffix} workbook (an old .xls or another Office file renamed?)")


def _check_magic(path: Path, head: bytes, suffix: str) -> None:
    text_head = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text_head.startswith((b"<!doctype html", b"<html", b"<table")):
        raise UnreadableFile(f"not a spreadsheet: the file is a web page (HTML) saved as {suffix}; save it as .xlsx")
    if text_head.startswith(b"<?xml"):
        raise UnreadableFile(f"not a spreadsheet: the file is XML (Excel 2003 XML?) saved as {suffix}; save it as .xlsx")
    if head.startswith(_PDF_MAGIC):
        raise UnreadableFile(f"not a spreadsheet: the file is a PDF document with a {suffix} extension")
    if head.startswith(_OLE2_MAGIC):
        _check_ole2(path, suffix)
    elif head.startswith(_ZIP_MAGIC):
        if suffix == ".xls":
            raise UnreadableFile("not a valid .xls workbook (an .xlsx renamed to .xls? save it as .xlsx)")
        check_zip_container(path, suffix)
    else:
        raise UnreadableFile(f"not a valid {suffix} workbook (the file is damaged or has the wrong extension)")


def _read_spreadsheet(path: Path, head: bytes, book: Workbook) -> None:
    import python_calamine as calamine

    suffix = path.suffix.lower()
    _check_magic(path, head, suffix)
    formulas = _formulas_without_value(path)
    try:
        workbook = calamine.CalamineWorkbook.from_path(str(path))
        ods_merges = None  # read from content.xml, for every sheet at once, when calamine gives none
        for name in workbook.sheet_names:
            sheet = workbook.get_sheet_by_name(name)
            grid = sheet.to_python(skip_empty_area=False)
            # Merged ranges are counted from A1 as the grid is; None where calamine has none for the format (ods).
            merges = sheet.merged_cell_ranges
            if merges is None and suffix == ".ods":
                if ods_merges is None:
                    ods_merges = _ods_merged_cells(path, workbook.sheet_names)
                merges = ods_merges.get(name)
            _sheet_from_grid(name, grid, book, formulas.get(name), merges or ())
    except calamine.PasswordError:
        raise UnreadableFile("the workbook is password-protected; send it without a password") from None
    except (calamine.CalamineError, calamine.ZipError, calamine.XmlError) as exc:
        raise UnreadableFile(f"the workbook is damaged and cannot be read ({exc})") from None


def _formulas_without_value(path: Path) -> dict[str, dict[tuple[int, int], str]]:
    """The formula cells saved without a value, per sheet; none when the scan itself fails.

    calamine reads the file on its own terms; a workbook part this scan cannot make sense of must not
    make a readable file unreadable.
    """
    try:
        return formulas_without_value(path)
    except (KeyError, ET.ParseError, zipfile.BadZipFile, zlib.error, EOFError, ValueError) as exc:
        log.warning("%s: formula cells not checked (%s: %s)", path.name, type(exc).__name__, exc)
        return {}


def _ods_merged_cells(path: Path, sheet_names: list[str]) -> dict[str, list[Merge]]:
    """The merged cells at the top of each sheet of an ods workbook, down to the last row a header can reach;
    none when content.xml cannot be read for them (calamine, which read the cells, is more lenient than the
    XML parser)."""
    try:
        return merged_cells(path, sheet_names, HEADER_ROWS_READ)
    except (KeyError, ET.ParseError, zipfile.BadZipFile, zlib.error, EOFError, ValueError, NotImplementedError) as exc:
        log.warning("%s: merged cells not read (%s: %s)", path.name, type(exc).__name__, exc)
        return {}


def read_workbook(path: Path) -> Workbook:
    """Every sheet of the file that has a header, with its non-blank data rows."""
    suffix = path.suffix.lower()
    if suffix not in SPREADSHEET_SUFFIXES | TEXT_SUFFIXES:
        raise UnreadableFile(f"not a spreadsheet ('{suffix or path.name}'): send xlsx, xls, ods or csv")
    size = path.stat().st_size
    if size == 0:
        raise UnreadableFile("the file is empty")
    if size > MAX_FILE_BYTES:
        raise UnreadableFile(f"the file is {_size(size)}, more than the limit of {_size(MAX_FILE_BYTES)}; split it")
    book = Workbook()
    if suffix in TEXT_SUFFIXES:
        _read_delimited(path.read_bytes(), suffix, book)
    else:
        with path.open("rb") as handle:
            head = handle.read(512)
        _read_spreadsheet(path, head, book)
    if not book.sheets:
        if all(reason == "the sheet is empty" for _, reason in book.skipped_sheets):
            raise UnreadableFile("the workbook is empty: no sheet has any data")
        reasons = "; ".join(f"sheet '{n}': {r}" if n else r for n, r in book.skipped_sheets)
        raise UnreadableFile(f"no sheet has a recognizable header row ({reasons})")
    return book

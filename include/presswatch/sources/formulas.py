"""Formula cells of a workbook (xlsx, xlsm, ods) that were saved without their calculated value.

A spreadsheet program saves every formula together with its last result, and the reader (calamine) reads
that result. A workbook written by a script (openpyxl, odfpy, a hand-made content.xml) may hold the formula
alone: calamine reads the cell as empty, and the row would silently lose its value. calamine 0.9 offers no
way to see formulas, so the XML is scanned here.

Most workbooks hold no such cell, and intake reads hundreds of files a run: the XML is first inflated in
chunks and searched as bytes (C speed, no per-cell Python); only XML that shows a formula with no value is
parsed, with a streaming XML parser.

An xls workbook is not scanned, as it cannot say that a value is missing: its FORMULA record (BIFF8) always
carries an 8-byte result. xlwt 1.3, the Python xls writer (pandas dropped xls writing in 2.0), fills it with
the code for "empty text" (0xFFFF000000000003) whatever the formula, and calamine reads that as ''. Excel
writes the same code for a formula it calculated to "" (=IF(A2="";"";…), common in templates), so flagging
it would quarantine rows whose formulas were calculated. Such an xls cell reads as empty: a required field
is then refused as missing, an optional one stays empty.
"""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

from .ods_grid import TABLE_NS, placed_cells

_RELATIONSHIPS_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELATIONSHIPS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CHUNK_BYTES = 1 << 20
# A formula element and what may follow it up to the end of its cell is far shorter than this; chunks
# overlap by it so that a match across a chunk boundary is not missed.
_CHUNK_OVERLAP = 4096
# The end of a formula element with text (</f>, or </x:f> from writers using a prefix): a sheet without it
# holds no formula, since a cell that only refers to another's shared formula (<f t="shared" si="0"/>) is in
# the sheet of that other cell. One search for two bytes rules out almost every sheet (a compiled pattern:
# the regex engine's literal scan is about three times faster than ``in`` for so short a needle).
_FORMULA_END = re.compile(rb"f>")
# A formula element followed by no value, or an empty one, up to the end of its cell.
_FORMULA_WITHOUT_VALUE = re.compile(
    rb"(?:</(?:\w+:)?f>|<(?:\w+:)?f\b[^>]*/>)\s*"
    rb"(?:<(?:\w+:)?v\s*/>|<(?:\w+:)?v>\s*</(?:\w+:)?v>)?\s*</(?:\w+:)?c>"
)
_CELL_REFERENCE = re.compile(r"([A-Z]+)([0-9]+)")


def _local(tag: str) -> str:
    """An element's name without its namespace (transitional and strict OOXML use different ones)."""
    return tag.rpartition("}")[2]


def sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → the name of the zip entry holding that sheet's XML."""
    relationships = ET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {
        rel.get("Id"): rel.get("Target", "")
        for rel in relationships.iter(f"{{{_PACKAGE_RELATIONSHIPS_NS}}}Relationship")
    }
    parts = {}
    for element in ET.fromstring(archive.read("xl/workbook.xml")).iter():
        if _local(element.tag) != "sheet":
            continue
        target = targets.get(element.get(f"{{{_RELATIONSHIPS_NS}}}id"))
        if not target:
            continue
        # Excel writes targets relative to xl/, openpyxl absolute from the package root.
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
        parts[element.get("name")] = part
    return parts


def _may_hold_formula_without_value(archive: zipfile.ZipFile, part: str) -> bool:
    """Whether the sheet XML shows a formula with no value after it; never False when it holds one."""
    tail = b""
    formulas_seen = False  # from then on every chunk is searched: a shared formula's cells may follow later
    with archive.open(part) as stream:
        while chunk := stream.read(_CHUNK_BYTES):
            window = tail + chunk
            formulas_seen = formulas_seen or _FORMULA_END.search(window) is not None
            if formulas_seen and _FORMULA_WITHOUT_VALUE.search(window):
                return True
            tail = window[-_CHUNK_OVERLAP:]
    return False


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - ord("A") + 1
    return index - 1


def _formulas_without_value_in(archive: zipfile.ZipFile, part: str) -> dict[tuple[int, int], str]:
    """(row, column) 0-based → formula text ('=' first; '' for a shared formula given by another cell)."""
    found = {}
    row_index = -1
    with archive.open(part) as stream:
        for _, element in ET.iterparse(stream, events=("end",)):
            if _local(element.tag) != "row":
                continue
            # A row or cell may leave out its reference (r): then it follows the previous one.
            number = element.get("r")
            row_index = int(number) - 1 if number and number.isdigit() else row_index + 1
            column_index = -1
            for cell in element:
                reference = _CELL_REFERENCE.fullmatch(cell.get("r", ""))
                column_index = _column_index(reference.group(1)) if reference else column_index + 1
                formula = value = None
                for child in cell:
                    name = _local(child.tag)
                    if name == "f":
                        formula = child
                    elif name == "v":
                        value = child
                if formula is None:
                    continue
                # t="str" with an empty value is a formula whose result is the empty text: it was calculated.
                if (value is None or not (value.text or "").strip()) and cell.get("t") != "str":
                    found[(row_index, column_index)] = f"={formula.text}" if formula.text else ""
            element.clear()  # a row at a time: memory stays flat however long the sheet
    return found


def _xlsx_formulas_without_value(path: Path) -> dict[str, dict[tuple[int, int], str]]:
    with zipfile.ZipFile(path) as archive:
        entries = set(archive.namelist())
        found = {}
        for name, part in sheet_parts(archive).items():
            if part in entries and _may_hold_formula_without_value(archive, part):
                cells = _formulas_without_value_in(archive, part)
                if cells:
                    found[name] = cells
        return found


_ODS_OFFICE_NS = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_ODS_FORMULA = f"{{{TABLE_NS}}}formula"
_ODS_VALUE_TYPE = f"{{{_ODS_OFFICE_NS}}}value-type"
# The attributes calamine reads a cell's value from; without one it reads the text only of a string cell.
_ODS_VALUES = tuple(f"{{{_ODS_OFFICE_NS}}}{name}" for name in (
    "value", "string-value", "date-value", "time-value", "boolean-value"))
# calamine knows the elements and attributes by their usual prefixes (table:, office:) only, so the bytes
# are searched for those. The attributes a value is read from, or that type the cell as text: a cell typed as
# text counts as calculated, as t="str" does in xlsx (LibreOffice adds office:string-value to it, older
# writers gave a text result in text:p alone, which is empty for an empty result).
_ODS_VALUE_ATTRIBUTE = (rb"office:(?:value|string-value|date-value|time-value|boolean-value)\s*="
                        rb"|office:value-type\s*=\s*[\"']string[\"']")
_ODS_QUOTED = rb"(?:\"[^\"]*\"|'[^']*')"  # an attribute value may hold '>', never '<'
# A formula attribute and after it no value attribute up to the end of its tag. LibreOffice writes the value
# after the formula, so its files have no match: the search stays in C, at about the speed of a literal scan.
_ODS_FORMULA_WITHOUT_VALUE_AFTER = re.compile(
    rb"table:formula\s*=\s*" + _ODS_QUOTED
    + rb"(?:\s+(?!" + _ODS_VALUE_ATTRIBUTE + rb")[^\s=<>/]+\s*=\s*" + _ODS_QUOTED + rb")*\s*/?>"
)
_ODS_VALUE_BEFORE = re.compile(rb"\s(?:" + _ODS_VALUE_ATTRIBUTE + rb")")
# Repeated rows and cells stand for that many copies. Only a crafted file repeats a formula without a value
# so often that its copies would list more cells than this: the scan gives up, and the file is read unchecked.
_ODS_MAX_CELLS_LISTED = 1_000_000
# Outside string literals, an OpenFormula reference in brackets: [.B2], [.A1:.A3], ['Лист 2'.A1].
_ODS_REFERENCE = re.compile(r'("(?:[^"]|"")*")|\[([^\]]*)\]')


def _ods_may_hold_formula_without_value(archive: zipfile.ZipFile) -> bool:
    """Whether content.xml shows a cell with a formula and no value; never False when it holds one."""
    tail = b""
    with archive.open("content.xml") as stream:
        while chunk := stream.read(_CHUNK_BYTES):
            window = tail + chunk
            for match in _ODS_FORMULA_WITHOUT_VALUE_AFTER.finditer(window):
                # '<' occurs in XML only where markup starts: the last one before the formula starts its tag.
                tag_start = max(window.rfind(b"<", 0, match.start()), 0)
                if not _ODS_VALUE_BEFORE.search(window, tag_start, match.start()):
                    return True
            # The next window starts at the last tag of this one, so every start tag is searched whole.
            tail = window[max(window.rfind(b"<"), 0):]
            if len(tail) > _CHUNK_BYTES:
                return True  # no tag is that long in a spreadsheet; leave it to the parser
    return False


def _ods_shown(formula: str) -> str:
    """The formula as LibreOffice shows it: "of:=[.B2]&[.C2]" → "=B2&C2"."""
    namespace, colon, rest = formula.partition(":")
    if colon and namespace.isalpha() and rest.startswith("="):
        formula = rest
    if not formula.startswith("="):
        formula = f"={formula}"
    return _ODS_REFERENCE.sub(lambda m: m.group(1) or m.group(2).lstrip(".").replace(":.", ":"), formula)


def _ods_formulas_without_value(path: Path) -> dict[str, dict[tuple[int, int], str]]:
    """Rows and columns are counted as calamine counts them (see ods_grid.placed_cells)."""
    found: dict[str, dict[tuple[int, int], str]] = {}
    with zipfile.ZipFile(path) as archive:
        if not _ods_may_hold_formula_without_value(archive):
            return found
        listed = 0
        with archive.open("content.xml") as stream:
            for cell in placed_cells(ET.iterparse(stream, events=("start", "end"))):
                element = cell.element
                formula = element.get(_ODS_FORMULA)
                if (cell.covered or formula is None or element.get(_ODS_VALUE_TYPE) == "string"
                        or any(value in element.attrib for value in _ODS_VALUES)):
                    continue
                listed += cell.rows * cell.columns
                if listed > _ODS_MAX_CELLS_LISTED:
                    raise ValueError(f"more than {_ODS_MAX_CELLS_LISTED} formula cells without a value")
                shown = _ods_shown(formula)
                cells = found.setdefault(cell.sheet, {})
                for row in range(cell.row, cell.row + cell.rows):
                    for column in range(cell.column, cell.column + cell.columns):
                        cells[(row, column)] = shown
    return found


def formulas_without_value(path: Path) -> dict[str, dict[tuple[int, int], str]]:
    """Per sheet name, the formula cells saved without a value: (row, column) 0-based → formula text.

    Sheets without such cells are left out, so the common result is an empty dict; so is that of a file
    that is not xlsx, xlsm or ods (xls: see the module's docstring).
    """
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx_formulas_without_value(path)
    if suffix == ".ods":
        return _ods_formulas_without_value(path)
    return {}

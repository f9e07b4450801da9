"""Formula cells of an xlsx/xlsm workbook that were saved without their calculated value.

A spreadsheet program saves every formula together with its last result, and the reader (calamine) reads
that result. A workbook written by a script (openpyxl, for one) holds the formula alone: calamine reads the
cell as empty, and the row would silently lose its value. calamine 0.9 offers no way to see formulas, so
the sheet XML is scanned here.

Most workbooks hold no such cell, and intake reads hundreds of files a run: a sheet's XML is first inflated
in chunks and searched as bytes (C speed, no per-cell Python); only a sheet that shows a formula followed by
no value is parsed, with a streaming XML parser.
"""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

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


def formulas_without_value(path: Path) -> dict[str, dict[tuple[int, int], str]]:
    """Per sheet name, the formula cells saved without a value: (row, column) 0-based → formula text.

    Sheets without such cells are left out, so the common result is an empty dict.
    """
    with zipfile.ZipFile(path) as archive:
        entries = set(archive.namelist())
        found = {}
        for name, part in sheet_parts(archive).items():
            if part in entries and _may_hold_formula_without_value(archive, part):
                cells = _formulas_without_value_in(archive, part)
                if cells:
                    found[name] = cells
        return found

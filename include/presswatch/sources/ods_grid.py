"""Where the cells of an OpenDocument spreadsheet (content.xml) stand on the grid calamine reads, and which of
them are merged at the top of each sheet.

calamine counts every table-row of a sheet, in whatever group it stands (header rows, row groups), and every
cell of a row, covered ones (the parts of a merged cell after its first) too, each as many times as it is
repeated; a table inside a cell is no part of the grid. The formula scan (formulas.py) and the merges read here
place cells that way, through ``placed_cells``.

calamine 0.9 gives merged ranges for xlsx and xls but none for ods, and a header's group label needs them to
reach each column it spans. Only the top of a sheet can hold the header, while content.xml may be tens of MB: the
tables are found by searching the bytes (C speed), and each is parsed only down to the rows asked for.
"""

from __future__ import annotations

import logging
import re
import xml.etree.ElementTree as ET
import zipfile
from itertools import chain
from pathlib import Path
from typing import Iterable, Iterator, NamedTuple
from xml.sax.saxutils import quoteattr

from ..normalize.headers import Merge

log = logging.getLogger(__name__)

TABLE_NS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_TABLE = f"{{{TABLE_NS}}}table"
_ROW = f"{{{TABLE_NS}}}table-row"
_CELL = f"{{{TABLE_NS}}}table-cell"
_COVERED_CELL = f"{{{TABLE_NS}}}covered-table-cell"
_NAME = f"{{{TABLE_NS}}}name"
_ROWS_REPEATED = f"{{{TABLE_NS}}}number-rows-repeated"
_COLUMNS_REPEATED = f"{{{TABLE_NS}}}number-columns-repeated"
_ROWS_SPANNED = f"{{{TABLE_NS}}}number-rows-spanned"
_COLUMNS_SPANNED = f"{{{TABLE_NS}}}number-columns-spanned"

# calamine finds a sheet by the usual prefix of its element (table:table), so the bytes are searched for it;
# the character after the name tells it from table:table-row and the like.
_TABLE_START = re.compile(rb"<table:table[\s/>]")
_TABLE_START_BYTES = len(b"<table:table ")
_CHUNK_BYTES = 1 << 20
# Bytes given to the parser at a time: a table's first rows are usually a few kilobytes, and what the parser is
# given beyond the rows asked for is parsed for nothing.
_FEED_BYTES = 1 << 16


def _count(value: str | None) -> int:
    """A repeat or span attribute: 1 when it is absent or not a positive number."""
    return int(value) if value and value.isdigit() and int(value) > 0 else 1


class PlacedCell(NamedTuple):
    sheet: str
    row: int  # 0-based, of the first copy
    rows: int  # copies down: the row's number-rows-repeated
    column: int  # 0-based, of the first copy
    columns: int  # copies across: the cell's number-columns-repeated
    element: ET.Element  # given at its start: the attributes are there, the content not yet

    @property
    def covered(self) -> bool:
        """Part of a merged cell after its first: it takes a column and shows nothing."""
        return self.element.tag == _COVERED_CELL


def placed_cells(events: Iterable[tuple[str, ET.Element]], rows: int | None = None) -> Iterator[PlacedCell]:
    """Each cell of each named table in ``events`` (start and end events, as iterparse gives them), placed as
    calamine places it.

    With ``rows``, the iteration ends at the first row from that index on (meant for the events of one table:
    the rest of its rows are then left unparsed).
    """
    sheet: str | None = None  # None in a table without a name, which calamine does not read
    depth = 0  # of tables: a table inside a cell is no part of the sheet's grid
    row_index = row_repeats = column_index = 0
    for event, element in events:
        tag = element.tag
        if tag == _TABLE:
            depth += 1 if event == "start" else -1
            if event == "start" and depth == 1:
                sheet = element.get(_NAME)
                row_index = 0
            elif event == "end" and depth == 0:
                element.clear()
        elif depth != 1 or sheet is None:
            continue
        elif tag == _ROW:
            if event == "start":
                if rows is not None and row_index >= rows:
                    return
                row_repeats = _count(element.get(_ROWS_REPEATED))
                column_index = 0
            else:
                row_index += row_repeats
                element.clear()  # a row at a time: memory stays flat however long the sheet
        elif event == "start" and tag in (_CELL, _COVERED_CELL):
            column_repeats = _count(element.get(_COLUMNS_REPEATED))
            yield PlacedCell(sheet, row_index, row_repeats, column_index, column_repeats, element)
            column_index += column_repeats


class _Content:
    """content.xml read forward a chunk at a time; the bytes from the last position searched from are kept."""

    def __init__(self, stream):
        self._stream = stream
        self._data = b""
        self._offset = 0  # where _data starts in content.xml
        self._ended = False

    def _read(self) -> bool:
        chunk = b"" if self._ended else self._stream.read(_CHUNK_BYTES)
        self._ended = not chunk
        self._data += chunk
        return bool(chunk)

    def next_table(self, position: int) -> int | None:
        """Where the next table's start tag is from ``position`` on; None at the end. The bytes before it
        are let go."""
        while True:
            self._data = self._data[position - self._offset:]
            self._offset = position
            match = _TABLE_START.search(self._data)
            if match:
                return self._offset + match.start()
            # A start tag may begin in the last bytes and end in the next chunk.
            position = max(position, self._offset + len(self._data) - _TABLE_START_BYTES + 1)
            if not self._read():
                return None

    def bytes_from(self, position: int) -> Iterator[bytes]:
        """The bytes from ``position`` on, a piece at a time; they stay kept for the next search."""
        start = position - self._offset
        while start < len(self._data) or self._read():
            piece = self._data[start:start + _FEED_BYTES]
            start += len(piece)
            yield piece


def _root_tag(content: _Content) -> bytes:
    """A start tag declaring what the document's root declares, so that a table can be parsed on its own."""
    parser = ET.XMLPullParser(events=("start-ns", "start"))
    declared = []
    for piece in content.bytes_from(0):
        parser.feed(piece)
        for event, value in parser.read_events():
            if event == "start":
                return "<root {}>".format(" ".join(
                    f"xmlns:{prefix}={quoteattr(uri)}" if prefix else f"xmlns={quoteattr(uri)}"
                    for prefix, uri in declared)).encode()
            declared.append(value)
    raise ValueError("content.xml has no root element")


def _table_events(content: _Content, root_tag: bytes, position: int) -> Iterator[tuple[str, ET.Element]]:
    """The start and end events of the table whose start tag is at ``position``, up to its end."""
    parser = ET.XMLPullParser(events=("start", "end"))
    parser.feed(root_tag)
    for _ in parser.read_events():
        pass
    depth = 0
    for piece in content.bytes_from(position):
        parser.feed(piece)
        # Events past the table's end are never read: the bytes after it may close elements the parser
        # never saw open, which it refuses.
        for event, element in parser.read_events():
            depth += 1 if event == "start" else -1
            yield event, element
            if depth == 0:
                return


def _merges(cells: Iterable[PlacedCell], rows: int) -> Iterator[Merge]:
    """The cells spanning more than one column or row, as merged ranges, those starting above ``rows``."""
    for cell in cells:
        if cell.covered:
            continue  # never the start of a merged cell, whatever its attributes say
        down = _count(cell.element.get(_ROWS_SPANNED))
        across = _count(cell.element.get(_COLUMNS_SPANNED))
        if down == 1 and across == 1:
            continue
        # Each copy of a repeated row holds its own merged cell; copies across would overlap: the first is taken.
        for row in range(cell.row, min(cell.row + cell.rows, rows)):
            yield (row, cell.column), (row + down - 1, cell.column + across - 1)


def merged_cells(path: Path, sheets: Iterable[str], rows: int) -> dict[str, list[Merge]]:
    """Per sheet name, the cells merged over several columns or rows that start in the first ``rows`` rows,
    as ((first row, first column), (last row, last column)) 0-based, as calamine gives them for xlsx and xls.

    Only the sheets named are looked for, and the reading stops once each is found. A sheet whose first rows
    the XML parser refuses is given no merges; the others keep theirs.
    """
    wanted = set(sheets)
    found: dict[str, list[Merge]] = {}
    with zipfile.ZipFile(path) as archive, archive.open("content.xml") as stream:
        content = _Content(stream)
        root_tag = _root_tag(content)
        position = 0
        while wanted and (position := content.next_table(position)) is not None:
            events = _table_events(content, root_tag, position)
            name = None
            try:
                start = next(events, None)
                name = start[1].get(_NAME) if start else None
                if name in wanted:
                    wanted.discard(name)  # (a table inside a cell of an earlier sheet would take its name first)
                    merges = list(_merges(placed_cells(chain([start], events), rows), rows))
                    if merges:
                        found[name] = merges
            except ET.ParseError as exc:
                log.warning("%s: merged cells of sheet %r not read (%s)", path.name, name, exc)
            position += 1
    return found

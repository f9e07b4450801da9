"""Finding the header row of a sheet and mapping its cells to presswatch fields (include/data/header_synonyms.yaml)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable

from .reference import header_synonyms
from .text import clean_cell, fold

# A title block above the table is common; a header further down than this is not a header.
HEADER_SEARCH_ROWS = 30
# A header may be written over this many rows at most: a group title merged over several groups, their labels and
# the sub-headers, or a header's words over three stacked cells. Each row more is another candidate at each row
# searched, on every sheet.
MAX_HEADER_ROWS = 3
# The rows of a sheet a header can reach: those to read (cells, merges) to find it.
HEADER_ROWS_READ = HEADER_SEARCH_ROWS + MAX_HEADER_ROWS - 1
MIN_RECOGNIZED = 3
MIN_REQUIRED = 2


@lru_cache(maxsize=None)
def _field_by_header() -> dict[str, str]:
    data = header_synonyms()
    index = {}
    for field_name, names in data["fields"].items():
        for name in (field_name, *names):
            index[fold(name)] = field_name
    return index


def required_fields() -> tuple[str, ...]:
    return tuple(header_synonyms()["required"])


def all_fields() -> tuple[str, ...]:
    return tuple(header_synonyms()["fields"])


def field_for(header: object) -> str | None:
    return _field_by_header().get(fold(header))


@dataclass
class HeaderRow:
    # 0-based index in the sheet of the header's last row: data starts below it. For a header over several rows
    # this is the lowest one (the sub-headers), which is what the intake report gives as the sheet's "header_row".
    row_index: int
    columns: dict[int, str]  # column index → field
    headers: dict[int, str]  # column index → header text as written
    unknown: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    height: int = 1  # the rows the header is written over, when sub-headers sit under group cells (see find_header)
    duplicate_marks: bool = False  # an editor's list of duplicate marks: report ids only, no report fields

    @property
    def missing_required(self) -> list[str]:
        if self.duplicate_marks:
            return []
        return [f for f in required_fields() if f not in self.columns.values()]

    def header_of(self, field_name: str) -> str:
        for index, name in self.columns.items():
            if name == field_name:
                return self.headers[index]
        return field_name


def _labels(row: list[object]) -> dict[int, str]:
    """The non-empty cells of a row as text, by column index."""
    labels = {}
    for index, value in enumerate(row):
        text = clean_cell(value)
        if text:
            labels[index] = text
    return labels


# A cell range merged in the sheet, 0-based and inclusive: ((first row, first column), (last row, last column)),
# as calamine gives it for xlsx and xls.
Merge = tuple[tuple[int, int], tuple[int, int]]


def _group_spans(merges: Iterable[Merge]) -> dict[int, list[tuple[int, int]]]:
    """Row index → (first, last) columns of the cells merged across several columns that start on that row."""
    spans: dict[int, list[tuple[int, int]]] = {}
    for (first_row, first_column), (_, last_column) in merges:
        if last_column > first_column:
            spans.setdefault(first_row, []).append((first_column, last_column))
    return spans


def _with_group_labels(upper: dict[int, str], lower: dict[int, str],
                       spans: Iterable[tuple[int, int]]) -> dict[int, str]:
    """The upper row of a header with each group label in every column of its merged cell.

    A reader gives a merged cell's text only in its first column; the group stands over the sub-header of
    each column it spans ("Тип" over "нарушителя" and "истца"), so each of them is read with it. Only
    columns with a sub-header (``lower``: the labels of the header's rows below) take the label: a column
    the merged cell covers down to the data has one header, in its first column.
    """
    spread = dict(upper)
    for first, last in spans:
        if first not in upper:
            continue
        for index in range(first + 1, last + 1):
            if index in lower and index not in upper:
                spread[index] = upper[first]
    return spread


def _stacked_labels(upper: dict[int, str], lower: _Candidate) -> dict[int, str]:
    """One label per column of a header written over a row and the rows below it (``lower``, read as one).

    ``lower`` holds the sub-headers. Where it is empty the upper cell stands for the column: a header
    merged vertically over the rows (spreadsheet readers give a merged cell's text only in its top-left
    cell, so the lower part reads as empty). A sub-header that names a field stands alone: a group label
    over several columns ("Событие" over "Дата" and "Регион") names no field. Otherwise the column
    is "upper lower", which may name a field only together ("Дата" over "события") and, when it names none,
    keeps every part of what the correspondent wrote.

    Over more rows, this is applied from the bottom up: a column takes the fewest rows from the
    bottom that name a field together ("Тип" over "истца", under the group title "Судебное дело"), else all.
    """
    labels = {}
    for index in sorted(upper.keys() | lower.labels.keys()):
        top, bottom = upper.get(index), lower.labels.get(index)
        if bottom is None:
            labels[index] = top
        elif top is None or lower.matched[index]:
            labels[index] = bottom
        else:
            labels[index] = f"{top} {bottom}"
    return labels


@dataclass
class _Candidate:
    """Header labels found at some rows, with how well they name presswatch fields."""
    row_index: int  # the last row of the candidate
    labels: dict[int, str]
    height: int = 1

    def __post_init__(self):
        self.matched = {i: field_for(text) for i, text in self.labels.items()}
        found = {f for f in self.matched.values() if f}
        # Compared as a pair: more required fields first, then more recognized ones.
        self.score = (len(found & set(required_fields())), len(found))

    @property
    def is_header(self) -> bool:
        required, recognized = self.score
        return recognized >= MIN_RECOGNIZED and required >= MIN_REQUIRED

    def header(self) -> HeaderRow:
        header = HeaderRow(self.row_index, {}, dict(self.labels), height=self.height)
        for i, field_name in sorted((i, f) for i, f in self.matched.items() if f):
            if field_name in header.columns.values():
                header.duplicates.append(self.labels[i])
            else:
                header.columns[i] = field_name
        header.unknown = [self.labels[i] for i, f in sorted(self.matched.items()) if f is None]
        return header


def _reads_as_header_words(stack: _Candidate, lowest: dict[int, str]) -> bool:
    """Whether every cell of the lowest row names a field, alone or joined with the cells above ("Дата" over
    "события"): then it is the end of the header, though the rows above alone name the same fields. A data
    row never does ("Дата 12.03.2024", "Источник корреспондент" name nothing)."""
    return all(stack.matched.get(index) for index in lowest)


# A sheet that names only these fields is an editor's list of duplicate marks, not reports.
DUPLICATE_MARK_FIELDS = frozenset({"report_id", "duplicate_of"})


def find_duplicate_marks_header(rows: list[list[object]]) -> HeaderRow | None:
    """The header of an editor's list of duplicate marks: a row near the top that names the report id and
    "Duplicate of" columns and no other known field (other columns, such as a comment, are kept unknown)."""
    for row_index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        candidate = _Candidate(row_index, _labels(row))
        if set(candidate.matched.values()) - {None} == DUPLICATE_MARK_FIELDS:
            header = candidate.header()
            header.duplicate_marks = True
            return header
    return None


def find_header(rows: list[list[object]], merges: Iterable[Merge] = ()) -> HeaderRow | None:
    """The header within the first rows, mapped to fields; None if no row names enough known fields.

    The header is the first row that names enough known fields, or that row together with the rows below it
    (up to MAX_HEADER_ROWS in all, none of them empty) when they read as one header: group cells merged over
    sub-headers, naming more fields than any fewer of those rows, or header words split over the rows.
    Taking more rows only then keeps a title above the header, and the first data row below it, out of the
    header. Each row and the rows below it are combined once, from the bottom up, so the search costs a few
    candidates per row.

    ``merges``: the sheet's merged cells, where the file records them (not in CSV). A group label merged
    across several columns is then read over each of their sub-headers; without them, over the first one.
    """
    labels = [_labels(row) for row in rows[:HEADER_ROWS_READ]]
    spans = _group_spans(merges)
    stacks: dict[tuple[int, int], _Candidate | None] = {}

    def stack(first: int, height: int) -> _Candidate | None:
        """Rows first .. first + height - 1 read as one header; None when one of them is empty or missing."""
        key = (first, height)
        if key not in stacks:
            if first + height > len(labels) or not all(labels[first:first + height]):
                stacks[key] = None
            elif height == 1:
                stacks[key] = _Candidate(first, labels[first])
            else:
                lower = stack(first + 1, height - 1)
                upper = _with_group_labels(labels[first], lower.labels, spans.get(first, ()))
                stacks[key] = _Candidate(first + height - 1, _stacked_labels(upper, lower), height)
        return stacks[key]

    def ends_here(first: int, height: int) -> bool:
        """Whether the rows read as one header: better than any fewer of them, or the same as without the
        lowest row, which then completes the header's words."""
        candidate = stack(first, height)
        if candidate is None or not candidate.is_header:
            return False
        fewer = max(stack(top, size).score
                    for size in range(1, height) for top in range(first, first + height - size + 1))
        return candidate.score > fewer or (
            candidate.score == stack(first, height - 1).score
            and _reads_as_header_words(candidate, labels[first + height - 1]))

    for row_index in range(min(len(rows), HEADER_SEARCH_ROWS)):
        # The most rows first: a group row may already name enough fields to be a header on its own.
        for height in range(MAX_HEADER_ROWS, 1, -1):
            if ends_here(row_index, height):
                return stack(row_index, height).header()
        single = stack(row_index, 1)
        if single is not None and single.is_header:
            return single.header()
    return None

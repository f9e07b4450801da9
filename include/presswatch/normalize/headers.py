"""Finding the header row of a sheet and mapping its cells to presswatch fields (include/data/header_synonyms.yaml)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable

from .reference import header_synonyms
from .text import clean_cell, fold

# A title block above the table is common; a header further down than this is not a header.
HEADER_SEARCH_ROWS = 30
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
    # 0-based index in the sheet of the header's last row: data starts below it. For a two-row header this is
    # the lower row (the sub-headers), which is what the intake report gives as the sheet's "header_row".
    row_index: int
    columns: dict[int, str]  # column index → field
    headers: dict[int, str]  # column index → header text as written
    unknown: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    height: int = 1  # 2 when sub-headers sit under merged group cells (see find_header)
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
    """The upper row of a two-row header with each group label in every column of its merged cell.

    A reader gives a merged cell's text only in its first column; the group stands over the sub-header of
    each column it spans ("Тип" over "нарушителя" and "истца"), so each of them is read with it. Only
    columns with a sub-header take the label: a column the merged cell covers down to the data has one
    header, in its first column.
    """
    spread = dict(upper)
    for first, last in spans:
        if first not in upper:
            continue
        for index in range(first + 1, last + 1):
            if index in lower and index not in upper:
                spread[index] = upper[first]
    return spread


def _two_row_labels(upper: dict[int, str], lower: dict[int, str]) -> dict[int, str]:
    """One label per column of a header written over two rows.

    The lower row holds the sub-headers. Where it is empty the upper cell stands for the column: a header
    merged vertically over both rows (spreadsheet readers give a merged cell's text only in its top-left
    cell, so the lower half reads as empty). A sub-header that names a field stands alone: a group label
    over several columns ("Событие" over "Дата" and "Регион") names no field. Otherwise the column
    is "upper lower", which may name a field only together ("Дата" over "события") and, when it names none,
    keeps both parts of what the correspondent wrote.
    """
    labels = {}
    for index in sorted(upper.keys() | lower.keys()):
        top, bottom = upper.get(index), lower.get(index)
        if bottom is None:
            labels[index] = top
        elif top is None or field_for(bottom):
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


def _reads_as_header_words(pair: _Candidate, lower: dict[int, str]) -> bool:
    """Whether every cell of the lower row names a field, alone or joined with the cell above ("Дата" over
    "события"): then it is the end of the header, though the upper row alone names the same fields. A data
    row never does ("Дата 12.03.2024", "Источник корреспондент" name nothing)."""
    return all(pair.matched.get(index) for index in lower)


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

    The header is the first row that names enough known fields, or that row together with the row below it
    when the two read as one header: group cells merged over sub-headers, naming more fields than either
    row alone, or header words split over the two rows. Taking the pair only then keeps a title above the
    header, and the first data row below it, out of the header.

    ``merges``: the sheet's merged cells, where the file records them (not in CSV). A group label merged
    across several columns is then read over each of their sub-headers; without them, over the first one.
    """
    labels = [_labels(row) for row in rows[:HEADER_SEARCH_ROWS + 1]]
    spans = _group_spans(merges)
    for row_index in range(min(len(rows), HEADER_SEARCH_ROWS)):
        single = _Candidate(row_index, labels[row_index])
        if row_index + 1 < len(labels) and labels[row_index] and labels[row_index + 1]:
            lower = _Candidate(row_index + 1, labels[row_index + 1])
            upper = _with_group_labels(labels[row_index], labels[row_index + 1], spans.get(row_index, ()))
            pair = _Candidate(row_index + 1, _two_row_labels(upper, labels[row_index + 1]), height=2)
            if pair.is_header and (pair.score > max(single.score, lower.score) or (
                    pair.score == single.score and _reads_as_header_words(pair, labels[row_index + 1]))):
                return pair.header()
        if single.is_header:
            return single.header()
    return None

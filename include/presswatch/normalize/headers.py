"""Finding the header row of a sheet and mapping its cells to presswatch fields (include/data/header_synonyms.yaml)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

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
    row_index: int  # 0-based index in the sheet
    columns: dict[int, str]  # column index → field
    headers: dict[int, str]  # column index → header text as written
    unknown: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)

    @property
    def missing_required(self) -> list[str]:
        return [f for f in required_fields() if f not in self.columns.values()]

    def header_of(self, field_name: str) -> str:
        for index, name in self.columns.items():
            if name == field_name:
                return self.headers[index]
        return field_name


def find_header(rows: list[list[object]]) -> HeaderRow | None:
    """The first row within the first rows that names enough known fields, mapped; None if there is none."""
    required = set(required_fields())
    for row_index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        cells = {i: clean_cell(v) for i, v in enumerate(row)}
        matched = {i: field_for(text) for i, text in cells.items() if text}
        recognized = {i: f for i, f in matched.items() if f}
        fields_found = set(recognized.values())
        if len(fields_found) < MIN_RECOGNIZED or len(fields_found & required) < MIN_REQUIRED:
            continue
        header = HeaderRow(row_index, {}, {i: t for i, t in cells.items() if t})
        for i, field_name in sorted(recognized.items()):
            if field_name in header.columns.values():
                header.duplicates.append(cells[i])
            else:
                header.columns[i] = field_name
        header.unknown = [cells[i] for i, f in sorted(matched.items()) if f is None]
        return header
    return None

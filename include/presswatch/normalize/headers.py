"""Finding the header row of a sheet and mapping its cells to presswatch fields (include/data/header_synonyms.yaml)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable

from .reference import header_synonyms
from .text import clean_cell, fold_label

# A title block above the table is common; a header further down than this is not a header.
HEADER_SEARCH_ROWS = 30
# A header may be written over this many rows at most. Four come up (a report title inside the table's frame
# over a group title, the groups' labels and the sub-headers; a long header's words over four narrow stacked
# cells), and official forms nest a level or two deeper. Rows above a table beyond that are a block of titles
# and notes, not a header, and each row allowed is read further down every sheet (HEADER_ROWS_READ: cells, ods
# merges, csv lines). Combining the rows costs little per row allowed (see find_header).
MAX_HEADER_ROWS = 6
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
            index[fold_label(name)] = field_name
    return index


@lru_cache(maxsize=None)
def _header_endings() -> frozenset[str]:
    """Each folded header name and each of its endings from a word on ("дата события", "события").

    A label whose folded text is none of these names no field, and neither does any label that ends with it:
    a stacked label is the cells above joined to it with a space, and folding ends such a join with the
    fold of its last part, after a space. A cell of punctuation only ("-", "/"; '' folded) ends no name: it
    completes no header's words, so a data row of placeholder dashes stays out of the header above it.
    """
    endings = set()
    for name in _field_by_header():
        endings.update(name[i:] for i in range(len(name)) if i == 0 or name[i - 1] == " ")
    return frozenset(endings)


def required_fields() -> tuple[str, ...]:
    return tuple(header_synonyms()["required"])


@lru_cache(maxsize=None)
def _required_set() -> frozenset[str]:
    return frozenset(required_fields())


def all_fields() -> tuple[str, ...]:
    return tuple(header_synonyms()["fields"])


def field_for(header: object) -> str | None:
    return _field_by_header().get(fold_label(header))


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


class _Candidate:
    """Header labels found at some rows, with how well they name presswatch fields.

    ``matched``: column → the field its label names, or None. ``open``: column → whether the label's folded
    text ends some header name (see _header_endings), so that cells above it may still complete a name.
    """
    __slots__ = ("row_index", "labels", "height", "matched", "open", "score")

    def __init__(self, row_index: int, labels: dict[int, str], matched: dict[int, str | None],
                 open_: dict[int, bool], height: int = 1):
        self.row_index = row_index  # the last row of the candidate
        self.labels = labels
        self.height = height
        self.matched = matched
        self.open = open_
        found = {f for f in matched.values() if f}
        # Compared as a pair: more required fields first, then more recognized ones.
        self.score = (len(found & _required_set()), len(found))

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


class _Names(dict):
    """Text → (the field it names or None, whether it ends a header name), folded once per text.

    One for the process: header texts and the short values below them (regions, sources, yes/no) recur on
    every sheet. Long texts (descriptions) are one-off and not kept; the rest is let go when it grows large.
    """
    MAX_TEXTS = 4096
    MAX_KEPT_LENGTH = 100

    def __missing__(self, text: str) -> tuple[str | None, bool]:
        folded = fold_label(text)
        value = (_field_by_header().get(folded), folded in _header_endings())
        if len(text) <= self.MAX_KEPT_LENGTH:
            if len(self) >= self.MAX_TEXTS:
                self.clear()
            self[text] = value
        return value


_NAMES = _Names()


def _row_candidate(row_index: int, labels: dict[int, str], names: _Names) -> _Candidate:
    matched, open_ = {}, {}
    for index, text in labels.items():
        matched[index], open_[index] = names[text]
    return _Candidate(row_index, labels, matched, open_)


def _stacked(upper: dict[int, str], lower: _Candidate, names: _Names) -> _Candidate:
    """One label per column of a header written over a row and the rows below it (``lower``, read as one).

    ``lower`` holds the sub-headers. Where it is empty the upper cell stands for the column: a header
    merged vertically over the rows (spreadsheet readers give a merged cell's text only in its top-left
    cell, so the lower part reads as empty). Where the two name a field together ("Дата" over "события",
    "Направлено в" over "суд", "Сайт" over "СМИ"), that is the column's name, whatever the lower word names
    alone. Else a sub-header that names a field stands alone: a group label over several columns ("Событие"
    over "Дата" and "Регион") names no field. Otherwise the column is "upper lower", which keeps every part of
    what the correspondent wrote.

    Over more rows, this is applied from the bottom up: a column takes the fewest rows from the
    bottom that name a field together ("Тип" over "истца", under the group title "Судебное дело"), else all.
    A join is looked up only when the lower label ends some header name: under a data cell ("Дата" over
    "12.03.2024") no cell above completes one.
    """
    labels, matched, open_ = {}, {}, {}
    below, below_matched, below_open = lower.labels, lower.matched, lower.open
    for index in sorted(upper.keys() | below.keys()):
        top, bottom = upper.get(index), below.get(index)
        if bottom is None:
            labels[index] = top
            matched[index], open_[index] = names[top]
            continue
        joined = f"{top} {bottom}" if top is not None and below_open[index] else None
        joined_names = names[joined] if joined is not None else (None, False)
        if joined_names[0]:  # the words name a field together, whatever the lower one names alone ("Сайт" "СМИ")
            labels[index], (matched[index], open_[index]) = joined, joined_names
        elif top is None or below_matched[index]:
            labels[index], matched[index], open_[index] = bottom, below_matched[index], below_open[index]
        elif joined is not None:
            labels[index], (matched[index], open_[index]) = joined, joined_names
        else:
            labels[index], matched[index], open_[index] = f"{top} {bottom}", None, False
    return _Candidate(lower.row_index, labels, matched, open_, lower.height + 1)


def _ends_a_name(index: int, text: str, rows_above: list[dict[int, str]], names: _Names) -> bool:
    """Whether ``text``, in column ``index`` under ``rows_above`` (labels by row, top to bottom), ends a field's
    name written over the cells right above it ("Perpetrator" over "type", "Направлено в" over "суд")."""
    words = text
    for labels in reversed(rows_above):
        cell = labels.get(index)
        if cell is None:
            return False
        words = f"{cell} {words}"
        if names[words][0]:
            return True
    return False


def _continues_label(upper: str | None, lower: str) -> bool:
    """Whether ``lower`` goes on with the label written right above it, another name of the same column split
    over two rows at a slash or a bracket ("Регион /" over "Область", "Журналист" over "(жауапкер)")."""
    return (upper is not None and upper.rstrip().endswith(("/", ","))) or lower.lstrip().startswith(("/", "("))


def _completes_words(stack: _Candidate, above: _Candidate, rows_above: list[dict[int, str]], lowest: _Candidate,
                     names: _Names) -> bool:
    """Whether the lowest row of ``stack`` only completes the header written over the rows above it (``above``;
    their labels by row in ``rows_above``): each of its cells stands under a header cell and names a field with
    it, the field that header cell named, or another only where the cell ends a name written down its column
    ("Perpetrator" over "type", "№" over "дела"). So header words split over the rows ("Дата" over "события") and
    a header said again in another language on the row below are taken in.

    A data row is not: joined to the header its cells name nothing ("Дата 12.03.2024"), and a header word among
    them stands in a column without a header, or makes its column name another field ("СМИ" as a violator type,
    under "Тип нарушителя", would make that column the media outlet's).

    A row that says the header again (its cells name alone what their columns name, or name nothing under a
    column that names nothing: "Ескерту" over "Примечание") is taken only when it reads as a header by itself:
    a report started with only a word that names its own column ("ссылка" under "Ссылка на источник") does
    not."""
    repeats = False
    for index, text in lowest.labels.items():
        if index not in above.labels:
            return False
        field_name, above_field = stack.matched.get(index), above.matched[index]
        if field_name is None:
            if above_field is not None or lowest.matched[index]:
                return False
            repeats = True
        elif field_name == above_field:
            repeats = repeats or (lowest.matched[index] == field_name
                                  and not _continues_label(rows_above[-1].get(index), text))
        elif not _ends_a_name(index, text, rows_above, names):
            return False
    return not repeats or lowest.is_header


# A sheet that names only these fields is an editor's list of duplicate marks, not reports.
DUPLICATE_MARK_FIELDS = frozenset({"report_id", "duplicate_of"})


def find_duplicate_marks_header(rows: list[list[object]]) -> HeaderRow | None:
    """The header of an editor's list of duplicate marks: a row near the top that names the report id and
    "Duplicate of" columns and no other known field (other columns, such as a comment, are kept unknown)."""
    names = _NAMES
    for row_index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        candidate = _row_candidate(row_index, _labels(row), names)
        if set(candidate.matched.values()) - {None} == DUPLICATE_MARK_FIELDS:
            header = candidate.header()
            header.duplicate_marks = True
            return header
    return None


# The score of rows that cannot be a header: below that of any header.
_NOT_A_HEADER = (-1, -1)


def find_header(rows: list[list[object]], merges: Iterable[Merge] = ()) -> HeaderRow | None:
    """The header within the first rows, mapped to fields; None if no row names enough known fields.

    The header is the first row that names enough known fields, or that row together with the rows below it
    (up to MAX_HEADER_ROWS in all, none of them empty) when they read as one header. Either they name more fields
    than any fewer of them, as group cells over sub-headers do, and the lowest row holds a sub-header: a cell that
    gives its column a field under a group label naming none (merged across its columns; in a CSV, written in the
    first column of its group with the cells beside it empty, over two sub-headers or more), or by completing the
    words above it. Or they name as much as the best of them without the lowest row, the lowest row only completes
    the header's words (see _completes_words: "Дата" over "события", or the header said again in another
    language), and the top row is the header's (the rows need it, or it names a field itself). So a title above
    the header, which names nothing, stays out however deep the header, and so does a data row below it that a
    correspondent left with only a header word in it: "СМИ" as a violator type, or "Суд" in a column whose header
    names no field ("Примечание") or that has no header, though the rows would then name one field more. A label
    naming no field merged across two columns, or in a CSV over two filled cells, still reads as a group over such
    a row. Each row and the rows below it are combined once, from the bottom up.

    Rows whose lowest row has no cell that may end a header name ("12.03.2024", "Костанайская область") are
    not combined at all: they name no more than the rows above it, so they are neither a header nor better
    than one. Nor are rows with too few columns left to name enough fields. So rows are combined only where
    header words meet, and a deeper header allowed costs little on a sheet of data.

    ``merges``: the sheet's merged cells, where the file records them (not in CSV). A group label merged
    across several columns is then read over each of their sub-headers; without them, over the first one.
    """
    readable = min(len(rows), HEADER_ROWS_READ)
    spans = _group_spans(merges)
    names = _NAMES
    singles: list[_Candidate | None] = []  # each row read alone, as far down as the search has looked
    stacks: dict[tuple[int, int], _Candidate] = {}
    scores: dict[tuple[int, int], tuple[int, int]] = {}
    bests: dict[tuple[int, int], tuple[int, int]] = {}

    def row(index: int) -> _Candidate | None:
        """Row ``index`` (< readable) alone; None when it is empty."""
        while len(singles) <= index:
            labels = _labels(rows[len(singles)])
            singles.append(_row_candidate(len(singles), labels, names) if labels else None)
        return singles[index]

    def stack(first: int, height: int) -> _Candidate:
        """Rows first .. first + height - 1, each of them there and not empty, read as one header."""
        if height == 1:
            return row(first)
        key = (first, height)
        candidate = stacks.get(key)
        if candidate is None:
            lower = stack(first + 1, height - 1)
            upper = _with_group_labels(row(first).labels, lower.labels, spans.get(first, ()))
            candidate = stacks[key] = _stacked(upper, lower, names)
        return candidate

    def header_score(first: int, height: int) -> tuple[int, int]:
        """The rows' score read as one header, when they are one; else _NOT_A_HEADER."""
        key = (first, height)
        score = scores.get(key)
        if score is None:
            score = _NOT_A_HEADER
            last = first + height - 1
            if last < readable and all(row(index) is not None for index in range(first, last + 1)):
                lowest = row(last)
                endings = sum(lowest.open.values())
                # Each column names one field at most; one with a cell of the lowest row names one only if
                # that cell may end a header name.
                width = max(max(row(index).labels) for index in range(first, last + 1)) + 1
                if endings and endings + width - len(lowest.labels) >= MIN_RECOGNIZED:
                    candidate = stack(first, height)
                    if candidate.is_header:
                        score = candidate.score
            scores[key] = score
        return score

    def best_within(first: int, height: int) -> tuple[int, int]:
        """The best header score among the rows first .. first + height - 1 and any fewer consecutive of them.

        Rows left uncombined above score as no header, which changes no comparison with a header: their
        lowest row adds nothing to the rows above it (which are among these), or they name too little.
        """
        key = (first, height)
        best = bests.get(key)
        if best is None:
            best = header_score(first, height)
            if height > 1:
                best = max(best, best_within(first, height - 1), best_within(first + 1, height - 1))
            bests[key] = best
        return best

    def under_a_group(index: int, first: int, last: int, matched: dict[int, str | None]) -> bool:
        """Whether the cell of row ``last`` in column ``index`` stands under a group label of the rows first ..
        last - 1 (``matched``: the fields of the rows' columns read together).

        Going up the column, the first of those rows with a label over it decides: a cell merged across
        columns, its label in its first one; else (no merge there, as in any CSV) the column's own label or
        the nearest one to its left on that row, over the columns up to the next with a label on that row or
        above. Without a merge, a label is a group's only over two or more columns holding a label further
        down (its sub-headers): "Примечание" over the one cell a correspondent left a header word in is not.
        A label that names a field is a group's only over a sub-header of its own naming that field ("СМИ" over
        "Название СМИ" and "Сайт СМИ"); else it is its own column's header, the cells beside it without one.
        """
        for upper in range(last - 1, first - 1, -1):
            labels = row(upper).labels
            group = next((start for start, end in spans.get(upper, ()) if start <= index <= end), None)
            if group is not None:
                start = group
                if start not in labels:
                    continue  # a blank merged cell: no label over the column on this row
                lower = set().union(*(row(r).labels for r in range(upper + 1, last + 1)))
            else:
                start = index
                while start not in labels and start >= 0:
                    start -= 1
                if start < 0:
                    continue
                higher = set().union(*(row(r).labels for r in range(first, upper)))
                # A label further up between them stands over the column instead: look there.
                if higher and not higher.isdisjoint(range(start + 1, index + 1)):
                    continue
                # The label stands over its column and the next ones without a label on this row or above.
                lower = set().union(*(row(r).labels for r in range(upper + 1, last + 1)))
                sub_headers = start in lower
                for column in range(start + 1, max(lower) + 1):
                    if column in labels or column in higher:
                        break
                    sub_headers += column in lower
                if sub_headers < 2:
                    return False
            named = names[labels[start]][0]
            return named is None or (start in lower and matched[start] == named)
        return False

    def ends_here(first: int, height: int) -> bool:
        """Whether the rows read as one header: better than any fewer of them, as group cells over sub-headers
        are, with a cell of the lowest row that gives its column a field standing under a group label (see
        under_a_group) or completing the words over it (a data row a correspondent left with a header word under
        a column that names no field does neither); or as good as the best of them without the lowest row, which
        only completes the header's words, under a top row that is the header's (the rows need it, or it names a
        field itself, as a header in another language does; a title names none).
        """
        score = header_score(first, height)
        if score == _NOT_A_HEADER:
            return False
        without_lowest, without_top = best_within(first, height - 1), best_within(first + 1, height - 1)
        last = first + height - 1
        if score > max(without_lowest, without_top):
            candidate, above = stack(first, height), stack(first, height - 1)
            matched, labels, above_matched = candidate.matched, candidate.labels, above.matched
            adding = False
            for index, text in row(last).labels.items():
                field_name = matched[index]
                if field_name is None or field_name == above_matched.get(index):
                    continue
                # A cell naming its field joined to the label over it (merged across its group: "№" over
                # "сообщения" and "дела") or ending a name written down its column ("Оқиғаның" over "күні")
                # completes those words.
                # One such cell makes the row sub-headers: a group's last one may stand beside a column without
                # any header, which in a CSV reads as a label over a single sub-header.
                if labels[index] != text or under_a_group(index, first, last, matched) or _ends_a_name(
                        index, text, [row(r).labels for r in range(first, last)], names):
                    return True
                adding = True
            return not adding  # no column takes a field from the lowest row: nothing in it to tell
        top_row_in_header = score > without_top or any(row(first).matched.values())
        if score != without_lowest or not top_row_in_header:
            return False
        rows_above = [row(index).labels for index in range(first, last)]
        return _completes_words(stack(first, height), stack(first, height - 1), rows_above, row(last), names)

    try:
        for row_index in range(min(len(rows), HEADER_SEARCH_ROWS)):
            # The most rows first: a group row may already name enough fields to be a header on its own.
            for height in range(MAX_HEADER_ROWS, 1, -1):
                if ends_here(row_index, height):
                    return stack(row_index, height).header()
            if header_score(row_index, 1) != _NOT_A_HEADER:
                return row(row_index).header()
        return None
    finally:
        # stack and best_within call themselves, through their own closure cells: a reference cycle that would
        # keep the whole sheet alive until the cyclic collector runs (and makes it walk every cell of it).
        stack = best_within = None  # noqa: F841

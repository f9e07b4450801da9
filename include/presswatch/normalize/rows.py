"""One input row → a normalized report record and the problems found in it.

Parsing problems (a date that is not a date, an unknown region) are found here, with the value and the
reason. Rules over the whole record (required fields present, date not in the future, codes known,
a case reference for legal claims) are checked by the data-quality suite in ``quality``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

import msgspec

from ..sources.workbooks import DataRow, Sheet
from . import values
from .categories import resolve_category
from .places import resolve_locality, resolve_region
from .text import clean_cell

TEXT_FIELDS = (
    "outlet", "affected", "perpetrator", "perpetrator_type", "summary", "legal_article",
    "case_ref", "plaintiff", "source", "source_url",
)
BOOL_FIELDS = ("appealed_to_police", "sent_to_court", "verdict_for_journalist", "confidential")
RECORD_FIELDS = (
    "external_id", "event_date", "region_code", "locality_code", "locality_name", "category_code",
    "outlet", "outlet_domain", "affected", "perpetrator", "perpetrator_type", "summary", "legal_article",
    "case_ref", "case_stage", "plaintiff", "amount_claimed_kzt", "appealed_to_police", "sent_to_court",
    "verdict_for_journalist", "source", "source_url", "confidential", "duplicate_of",
)
# A NUL character (code 0) in a cell's text, which PostgreSQL cannot store, stands as the replacement character.
NUL_SHOWN_AS = "\ufffd"


def storable(text: str) -> str:
    """Text as PostgreSQL can store it: a NUL character stands as NUL_SHOWN_AS."""
    return text.replace("\x00", NUL_SHOWN_AS) if "\x00" in text else text


NUL_REASON = ("the cell holds an invisible NUL character (code 0, shown as \ufffd), which cannot be stored; "
              "type the value again")

_EMPTY_RECORD = dict.fromkeys(RECORD_FIELDS)
_encode_json = msgspec.json.Encoder().encode


def payload_json_bytes(payload: dict[str, str]) -> bytes:
    """The payload as compact JSON, UTF-8, non-ASCII kept (msgspec's encoder: half the time of the json module's
    for these small dicts of text, and the json and jsonb columns store the same value either way)."""
    return _encode_json(payload)


@dataclass(frozen=True)
class Problem:
    column: str
    field: str | None
    value: str | None
    reason: str


@dataclass
class NormalizedRow:
    sheet: str
    row_number: int
    payload: dict[str, str]
    record: dict[str, object]
    problems: list[Problem] = field(default_factory=list)
    # A row of an editor's list of duplicate marks: it names a report already sent (external_id) and the
    # report it duplicates; the report's content is taken from the warehouse when the row is loaded.
    duplicate_mark: bool = False

    def payload_json(self) -> str:
        """The payload as JSON text (non-ASCII kept)."""
        return payload_json_bytes(self.payload).decode()


def location(sheet: str, row_number: int, column: str) -> str:
    """'sheet S, row N, column X' — the place a correspondent looks at (no sheet for CSV)."""
    prefix = f"sheet {sheet}, " if sheet else ""
    return f"{prefix}row {row_number}, column {column}"


def outlet_host(value: str) -> str:
    """The lower-case host of a website given as a URL or a bare domain."""
    text = value.strip()
    host = urlsplit(text if "//" in text else f"//{text}").hostname or ""
    host = host.rstrip(".")
    if not host or "." not in host or " " in host:
        raise ValueError(f"'{value}' is not a website address")
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        raise ValueError(f"'{value}' is not a valid international domain name") from None


def report_id_text(value: object) -> str:
    """A report id as text: 17.0 from a number cell is '17'."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _payload(sheet: Sheet, row: DataRow) -> dict[str, str]:
    payload = {}
    for index, cell in enumerate(row.cells):
        text = clean_cell(cell)
        if text is None:
            continue
        header = sheet.header.headers.get(index) or f"column {index + 1}"
        payload[header] = text if header not in payload else f"{payload[header]} | {text}"
    return payload


class _Memo:
    """A parser whose result (or error) per distinct cell value is remembered: a file repeats its regions,
    categories, dates and yes/no words hundreds of times, and parsing them is most of the cost of a row."""

    def __init__(self, parser, size: int = 50_000):
        self.parser, self.size = parser, size
        self.known: dict = {}  # text cells, the common case, keyed by the text itself
        self.typed: dict = {}  # other values by (type, value): 1, 1.0 and True are different cells

    def lookup(self, value) -> tuple[bool, object]:
        """(True, result) or (False, the parser's reason)."""
        if type(value) is str:
            found = self.known.get(value)
            return found if found is not None else self._parse(value, self.known, value)
        key = (type(value), value)
        found = self.typed.get(key)
        return found if found is not None else self._parse(value, self.typed, key)

    def _parse(self, value, table: dict, key) -> tuple[bool, object]:
        try:
            found = (True, self.parser(value))
        except ValueError as exc:
            found = (False, str(exc))
        if len(table) >= self.size:
            table.clear()
        table[key] = found
        return found

    def __call__(self, value):
        ok, result = self.lookup(value)
        if not ok:
            raise ValueError(result)
        return result


_parse_date = _Memo(values.parse_date)
_parse_category = _Memo(resolve_category)
_parse_host = _Memo(outlet_host)
_parse_stage = _Memo(values.parse_case_stage)
_parse_amount = _Memo(values.parse_amount)
_parse_bool = _Memo(values.parse_bool)
_resolve_region = _Memo(resolve_region)
_resolve_locality = _Memo(lambda pair: resolve_locality(*pair))

# (field in the sheet, field of the record, parser), in the order their problems are reported.
_PARSED = (
    ("event_date", "event_date", _parse_date),
    ("category", "category_code", _parse_category),
    ("outlet_domain", "outlet_domain", _parse_host),
    ("case_stage", "case_stage", _parse_stage),
    ("amount_claimed_kzt", "amount_claimed_kzt", _parse_amount),
    *((name, name, _parse_bool) for name in BOOL_FIELDS),
)


class _Plan:
    """What a sheet's header implies for each of its rows, worked out once per sheet."""

    def __init__(self, sheet: Sheet):
        header = sheet.header
        self.sheet, self.header = sheet.name, header
        width = max([*header.headers, *header.columns, -1]) + 1
        self.keys = [header.headers.get(i) or f"column {i + 1}" for i in range(width)]
        self.fields = dict(header.columns)
        present = set(self.fields.values())
        self.text_fields = tuple(f for f in TEXT_FIELDS if f in present)
        self.parsed = tuple(p for p in _PARSED if p[0] in present)


def _normalize(plan: _Plan, row: DataRow) -> NormalizedRow:
    payload: dict[str, str] = {}
    cells: dict[str, object] = {}
    keys, fields = plan.keys, plan.fields
    width = len(keys)
    with_nul: list[tuple[int, str]] | None = None  # (column index, text as stored)
    for index, cell in enumerate(row.cells):
        if cell is None:
            continue
        if type(cell) is str:
            text = value = cell.replace("\u00a0", " ").strip()
            if not text:
                continue
            if "\x00" in text:  # PostgreSQL cannot store it: shown as U+FFFD, and the row is quarantined
                text = value = storable(text)
                with_nul = (with_nul or []) + [(index, text)]
        else:
            value = cell
            text = str(cell).replace("\u00a0", " ").strip()
            if not text:  # not in the payload, yet a value for its field (as clean_cell would have it)
                if index in fields and cell != "":
                    cells[fields[index]] = cell
                continue
        key = keys[index] if index < width else f"column {index + 1}"
        payload[key] = text if key not in payload else f"{payload[key]} | {text}"
        if index in fields:
            cells[fields[index]] = value
    record = _EMPTY_RECORD.copy()
    problems: list[Problem] = []
    result = NormalizedRow(plan.sheet, row.row_number, payload, record, problems)
    for cell in row.unreadable_cells:  # a value the file does not hold (a formula saved without its result)
        column = keys[cell.index] if cell.index < width else f"column {cell.index + 1}"
        problems.append(Problem(column, fields.get(cell.index), cell.shown, cell.reason))
    for index, text in with_nul or ():
        column = keys[index] if index < width else f"column {index + 1}"
        problems.append(Problem(column, fields.get(index), text, NUL_REASON))

    def problem(field_name: str, reason: str) -> None:
        value = cells.get(field_name)
        problems.append(Problem(plan.header.header_of(field_name), field_name, None if value is None else str(value), reason))

    for name in plan.text_fields:
        if name in cells:
            value = cells[name]
            record[name] = value if type(value) is str else str(value).strip()  # text cells are trimmed above
    if "report_id" in cells:
        record["external_id"] = report_id_text(cells["report_id"])
    if "duplicate_of" in cells:
        record["duplicate_of"] = report_id_text(cells["duplicate_of"])
        if record["duplicate_of"] == record["external_id"]:
            problem("duplicate_of", "a report cannot be a duplicate of itself")
    for field_name, target, parser in plan.parsed:
        if field_name in cells:
            ok, parsed = parser.lookup(cells[field_name])
            if ok:
                record[target] = parsed
            else:
                problem(field_name, parsed)
    if record["confidential"] is None:
        record["confidential"] = False

    if "region" in cells:
        ok, region = _resolve_region.lookup(cells["region"])
        if ok:
            record["region_code"], record["locality_code"] = region.region_code, region.locality_code
        else:
            problem("region", region)
    if "locality" in cells:
        record["locality_name"] = str(cells["locality"]).strip()
        region_known = record["region_code"]
        if region_known or "region" not in cells:
            ok, place = _resolve_locality.lookup((cells["locality"], region_known))
            if not ok:
                problem("locality", place)
            elif place is not None:
                record["region_code"] = place.region_code
                record["locality_code"] = place.locality_code or record["locality_code"]
    if plan.header.duplicate_marks:
        result.duplicate_mark = True
        if not record["external_id"]:
            problem("report_id", "a duplicate mark needs the id of the report it marks")
        if not record["duplicate_of"]:
            problem("duplicate_of", "a duplicate mark needs the id of the report this one duplicates")
    return result


def normalize_row(sheet: Sheet, row: DataRow) -> NormalizedRow:
    return _normalize(_Plan(sheet), row)


def normalize_sheet(sheet: Sheet) -> list[NormalizedRow]:
    """Every data row of a sheet, normalized (the header's meaning worked out once)."""
    plan = _Plan(sheet)
    return [_normalize(plan, row) for row in sheet.rows]

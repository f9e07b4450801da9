"""One input row → a normalized report record and the problems found in it.

Parsing problems (a date that is not a date, an unknown region) are found here, with the value and the
reason. Rules over the whole record (required fields present, date not in the future, codes known,
a case reference for legal claims) are checked by the data-quality suite in ``quality``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from urllib.parse import urlsplit

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
# Lineage and editors' marks are not content: the same report sent again, or marked, has the same hash.
NOT_CONTENT = frozenset({"external_id", "duplicate_of"})


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

    def content_hash(self) -> str:
        """Hash of the normalized content, independent of where the row came from."""
        content = {k: self.record.get(k) for k in RECORD_FIELDS if k not in NOT_CONTENT}
        return hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode()).hexdigest()


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
        self.parser, self.size, self.known = parser, size, {}

    def __call__(self, value):
        key = (type(value), value)
        found = self.known.get(key)
        if found is None:
            try:
                found = (True, self.parser(value))
            except ValueError as exc:
                found = (False, str(exc))
            if len(self.known) >= self.size:
                self.known.clear()
            self.known[key] = found
        ok, result = found
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


def normalize_row(sheet: Sheet, row: DataRow) -> NormalizedRow:
    cells: dict[str, object] = {}
    for index, field_name in sheet.header.columns.items():
        value = row.cells[index] if index < len(row.cells) else None
        if isinstance(value, str):
            value = clean_cell(value)
        if value is not None and value != "":
            cells[field_name] = value
    result = NormalizedRow(sheet.name, row.row_number, _payload(sheet, row), {k: None for k in RECORD_FIELDS})
    record = result.record

    def problem(field_name: str, reason: str) -> None:
        value = cells.get(field_name)
        result.problems.append(
            Problem(sheet.header.header_of(field_name), field_name, None if value is None else str(value), reason)
        )

    def parse(field_name: str, target: str, parser) -> None:
        if field_name in cells:
            try:
                record[target] = parser(cells[field_name])
            except ValueError as exc:
                problem(field_name, str(exc))

    for name in TEXT_FIELDS:
        if name in cells:
            record[name] = str(cells[name]).strip()
    if "report_id" in cells:
        record["external_id"] = report_id_text(cells["report_id"])
    if "duplicate_of" in cells:
        record["duplicate_of"] = report_id_text(cells["duplicate_of"])
        if record["duplicate_of"] == record["external_id"]:
            problem("duplicate_of", "a report cannot be a duplicate of itself")
    parse("event_date", "event_date", _parse_date)
    parse("category", "category_code", _parse_category)
    parse("outlet_domain", "outlet_domain", _parse_host)
    parse("case_stage", "case_stage", _parse_stage)
    parse("amount_claimed_kzt", "amount_claimed_kzt", _parse_amount)
    for name in BOOL_FIELDS:
        parse(name, name, _parse_bool)
    if record["confidential"] is None:
        record["confidential"] = False

    region = None
    if "region" in cells:
        try:
            region = _resolve_region(cells["region"])
            record["region_code"], record["locality_code"] = region.region_code, region.locality_code
        except ValueError as exc:
            problem("region", str(exc))
    if "locality" in cells:
        record["locality_name"] = str(cells["locality"]).strip()
        region_known = record["region_code"]
        if region_known or "region" not in cells:
            try:
                place = _resolve_locality((cells["locality"], region_known))
                if place is not None:
                    record["region_code"] = place.region_code
                    record["locality_code"] = place.locality_code or record["locality_code"]
            except ValueError as exc:
                problem("locality", str(exc))
    return result

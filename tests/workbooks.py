"""Writing correspondent files for tests: real xlsx (openpyxl) and csv files in any layout."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

RU_HEADERS = {
    "event_date": "Дата события", "region": "Регион", "locality": "Город", "category": "Категория",
    "outlet": "СМИ", "summary": "Описание", "source": "Источник", "case_ref": "№ дела", "case_stage": "Стадия",
    "plaintiff": "Истец", "amount": "Сумма иска, тенге", "confidential": "Конфиденциально",
    "legal_article": "Статья",
}
EN_HEADERS = {
    "event_date": "Event date", "region": "Region", "locality": "City / Locality", "category": "Category",
    "outlet": "Media outlet", "summary": "Summary", "source": "Source", "case_ref": "Case reference",
    "case_stage": "Case stage", "plaintiff": "Plaintiff", "amount": "Amount claimed, KZT",
    "confidential": "Confidential", "legal_article": "Legal article",
}


def report(**values) -> dict:
    """A valid report row; keyword arguments override fields (None empties one)."""
    row = {
        "event_date": dt.date(2024, 3, 12), "region": "Костанайская область", "locality": "Костанай",
        "category": "refusal_restriction_information", "outlet": "TobolInfo",
        "summary": "Акимат не ответил на запрос редакции", "source": "корреспондент",
    }
    row.update(values)
    return row


def _columns(rows: list[dict]) -> list[str]:
    columns: list[str] = []
    for row in rows:
        columns += [k for k in row if k not in columns]
    return columns


def write_xlsx(path: Path, rows: list[dict], headers: dict = RU_HEADERS, title_rows: list[str] = (),
               sheet: str = "Отчёт", extra_sheets: dict[str, list[list]] | None = None) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    first = book.active
    first.title = sheet
    for title in title_rows:
        first.append([title])
    columns = _columns(rows)
    first.append([headers.get(c, c) for c in columns])
    for row in rows:
        first.append([row.get(c) for c in columns])
    for name, grid in (extra_sheets or {}).items():
        other = book.create_sheet(name)
        for line in grid:
            other.append(line)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def write_csv(path: Path, rows: list[dict], headers: dict = RU_HEADERS, encoding: str = "utf-8",
              delimiter: str = ";") -> Path:
    columns = _columns(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow([headers.get(c, c) for c in columns])
        for row in rows:
            writer.writerow([
                v.strftime("%d.%m.%Y") if isinstance(v, dt.date) else ("" if v is None else v)
                for v in (row.get(c) for c in columns)
            ])
    return path

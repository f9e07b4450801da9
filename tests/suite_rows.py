"""Normalized rows for tests of the data-quality suite: a report that passes every rule, changed as a test needs."""

from __future__ import annotations

import datetime as dt

from include.presswatch.normalize.rows import RECORD_FIELDS, NormalizedRow

TODAY = dt.date(2024, 4, 10)
REGIONS = ("almaty_city", "astana")
GROUPS = {"threats": "violations", "defamation_suit": "legal_claims"}


def suite_row(number: int, **fields) -> NormalizedRow:
    record = dict.fromkeys(RECORD_FIELDS)
    record.update(event_date=dt.date(2024, 3, 5), region_code="astana", category_code="threats",
                  summary="An editor was threatened", source="correspondent")
    record.update(fields)
    return NormalizedRow("Sheet1", number, {}, record)

"""Dates, yes/no, amounts and case stages as correspondents write them.

Every parser returns the value or raises ``ValueError`` with a reason a correspondent can act on.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from .reference import value_words
from .text import fold

EXCEL_EPOCH = dt.date(1899, 12, 30)
# Serial numbers outside these years are more likely a typo or an id than a date.
PLAUSIBLE_YEARS = range(1990, 2101)

_DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})(?:\s*(?:г|года|ж)\.?)?$")
_SLASHED = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t]\d{1,2}:\d{2}(?::\d{2})?)?$")
_WORDY = re.compile(r"^(\d{1,2})\s+([^\W\d_]+)\.?,?\s+(\d{4})(?:\s*(?:г|года|год|ж|жылы)\.?)?$")
_SERIAL = re.compile(r"^\d{5}(?:\.0+)?$")
# Kazakh order, year first: "2024 жылғы 15 наурыз", "2024 ж. 15 наурыз".
_YEAR_FIRST = re.compile(r"^(\d{4})\s*(?:ж\.?|жыл|жылғы)?\s+(\d{1,2})\s+([^\W\d_]+)\.?(?:\s*(?:күні|к\.))?$")
# English order: "March 15, 2024".
_MONTH_FIRST = re.compile(r"^([^\W\d_]+)\.?\s+(\d{1,2}),?\s+(\d{4})$")


@lru_cache(maxsize=None)
def _month_numbers() -> dict[str, int]:
    return {fold(name): int(number) for number, names in value_words()["months"].items() for name in names}


def _make_date(year: int, month: int, day: int, written: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"'{written}' is not a calendar date") from None


def _from_serial(serial: float, written: str) -> dt.date:
    date = EXCEL_EPOCH + dt.timedelta(days=int(serial))
    if date.year not in PLAUSIBLE_YEARS:
        raise ValueError(f"'{written}' is a number, not a date")
    return date


def parse_date(value: object) -> dt.date:
    """A date from a date cell, an Excel serial, DD.MM.YYYY, DD.MM.YY, YYYY-MM-DD or '15 марта 2024'."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _from_serial(value, str(value))
    written = str(value).strip()
    text = written.lower()
    if m := _DOTTED.match(text):
        day, month, year = int(m[1]), int(m[2]), int(m[3])
        if len(m[3]) == 2:
            year += 2000
        return _make_date(year, month, day, written)
    if m := _ISO.match(text):
        return _make_date(int(m[1]), int(m[2]), int(m[3]), written)
    if m := _SLASHED.match(text):
        first, second, year = int(m[1]), int(m[2]), int(m[3])
        if first <= 12 and second <= 12 and first != second:
            raise ValueError(
                f"'{written}' is ambiguous: {dt.date(year, second, first):%d.%m.%Y} or "
                f"{dt.date(year, first, second):%d.%m.%Y}; write it as DD.MM.YYYY"
            )
        day, month = (first, second) if first > 12 or first == second else (second, first)
        return _make_date(year, month, day, written)
    if m := _WORDY.match(text):
        month = _month_numbers().get(fold(m[2]))
        if month is None:
            raise ValueError(f"'{written}': unknown month name '{m[2]}'")
        return _make_date(int(m[3]), month, int(m[1]), written)
    if m := _YEAR_FIRST.match(text):
        month = _month_numbers().get(fold(m[3]))
        if month is None:
            raise ValueError(f"'{written}': unknown month name '{m[3]}'")
        return _make_date(int(m[1]), month, int(m[2]), written)
    if (m := _MONTH_FIRST.match(text)) and fold(m[1]) in _month_numbers():
        return _make_date(int(m[3]), _month_numbers()[fold(m[1])], int(m[2]), written)
    if _SERIAL.match(text):
        return _from_serial(float(text), written)
    raise ValueError(f"'{written}' is not a date (expected DD.MM.YYYY, YYYY-MM-DD or '15 March 2024')")


@lru_cache(maxsize=None)
def _boolean_words() -> dict[str, bool]:
    words = value_words()["booleans"]
    return {w.casefold(): flag == "true" for flag, names in words.items() for w in names}


def parse_bool(value: object) -> bool:
    """Yes/no in English, Russian or Kazakh, 1/0, true/false."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    text = str(value).strip().casefold()
    if text in _boolean_words():
        return _boolean_words()[text]
    raise ValueError(f"'{value}' is not yes or no (да/нет, иә/жоқ, yes/no, 1/0)")


@lru_cache(maxsize=None)
def _amount_words() -> tuple[dict[str, int], frozenset[str]]:
    words = value_words()
    multipliers = {w.casefold(): int(factor) for factor, names in words["amount_multipliers"].items() for w in names}
    return multipliers, frozenset(w.casefold() for w in words["amount_currency"])


_NUMBER = re.compile(r"^\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:[.,]\d+)?$|^\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^\d+(?:[.,]\d+)?$")
# "1.000.000": dots as thousands separators (two groups or more, so it cannot be a decimal).
_DOTTED_THOUSANDS = re.compile(r"^\d{1,3}(?:\.\d{3}){2,}$")
# "1,500" or "1.500": one separator before exactly three digits is a thousands separator in English
# and a decimal separator in Russian and Kazakh writing; such an amount is not guessed.
_ONE_GROUP = re.compile(r"^(\d{1,3})[.,](\d{3})$")


def _amount_text(amount: Decimal) -> str:
    return f"{amount.quantize(Decimal('0.01')):,.2f}".replace(",", " ").replace(".00", "")


_AMOUNT_LIMIT = Decimal("1e16")  # core.report.amount_claimed_kzt is numeric(18, 2)


def parse_amount(value: object) -> Decimal:
    """An amount in tenge: 1500000, '1 000 000 тг', '1,5 млн', '500 тыс. тенге'."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        amount = Decimal(str(value))
    else:
        written = str(value).strip()
        if written.startswith("-"):
            raise ValueError(f"'{written}' is negative")
        multipliers, currency = _amount_words()
        words = re.findall(r"[^\W\d_]+|₸", written.casefold())
        factor = 1
        for word in words:
            if word in multipliers:
                factor = multipliers[word]
            elif word not in currency:
                raise ValueError(f"'{written}' is not an amount in tenge (unexpected '{word}')")
        number = re.sub(r"[^\d.,\s\u00a0\u202f]", "", written).strip(" .,")
        number = re.sub(r"\s+", " ", number)
        if _DOTTED_THOUSANDS.match(number):
            number = number.replace(".", "")
        if m := _ONE_GROUP.match(number):
            as_thousands = Decimal(m[1] + m[2]) * factor
            as_decimal = Decimal(f"{m[1]}.{m[2]}") * factor
            raise ValueError(
                f"'{written}' is ambiguous: {_amount_text(as_thousands)} or {_amount_text(as_decimal)} tenge; "
                f"write the amount without separators"
            )
        if not number or not _NUMBER.match(number):
            raise ValueError(f"'{written}' is not an amount in tenge")
        if "," in number and re.search(r",\d{3}(?!\d)", number) and "." not in number and factor == 1:
            number = number.replace(",", "")  # 1,000,000
        else:
            number = number.replace(",", ".")
        number = re.sub(r"[ \u00a0\u202f]", "", number)
        try:
            amount = Decimal(number) * factor
        except InvalidOperation:
            raise ValueError(f"'{written}' is not an amount in tenge") from None
    if amount < 0:
        raise ValueError(f"'{value}' is negative")
    # As numeric(18, 2) stores it, and so as a stored report's content hash writes it: -0 is 0, two decimals.
    stored = abs(amount).quantize(Decimal("0.01")) if amount < _AMOUNT_LIMIT else amount
    if stored >= _AMOUNT_LIMIT:  # the warehouse would refuse the whole file for it
        raise ValueError(f"'{value}' is too large an amount: at most 16 digits before the decimal point")
    return stored


@lru_cache(maxsize=None)
def _stage_words() -> dict[str, str]:
    return {fold(w): stage for stage, names in value_words()["case_stages"].items() for w in (stage, *names)}


def parse_case_stage(value: object) -> str:
    """A case stage code (new_claim, hearing, decision, ...) from its name in any language."""
    stage = _stage_words().get(fold(value))
    if stage is None:
        known = ", ".join(value_words()["case_stages"])
        raise ValueError(f"'{value}' is not a known case stage ({known})")
    return stage

"""Folding text for matching: case, ё/е, punctuation and spacing do not distinguish two names."""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)


def _cased(value: object) -> str:
    return unicodedata.normalize("NFC", str(value)).casefold().replace("ё", "е")


def fold(value: object) -> str:
    """Lower-case, NFC, ё→е, punctuation and runs of spaces to one space, trimmed."""
    return _NON_WORD.sub(" ", _cased(value)).replace("_", " ").strip()


# In a header label "№" is a word ("№ сообщения", "Іс №"; "#" is written for it): folded away, a cell of
# punctuation only ("-", "/") would fold to the same '' as "№" alone and name the report id.
_LABEL_NON_WORD = re.compile(r"[^\w№]+", re.UNICODE)
_NUMBER_SIGNS = re.compile(r"[№#]+")


def fold_label(value: object) -> str:
    """fold() for header labels, keeping "№" (or "#") as a word of its own."""
    text = _NUMBER_SIGNS.sub(" № ", _cased(value))  # "№№" (numbers, as forms write it) is "№" too
    return _LABEL_NON_WORD.sub(" ", text).replace("_", " ").strip()


def clean_cell(value: object) -> str | None:
    """A cell as trimmed text, None when empty. Non-breaking spaces count as spaces."""
    if value is None:
        return None
    text = str(value).replace("\u00a0", " ").strip()
    return text or None


# A spreadsheet program runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """A value to write into a CSV or XLSX the project produces: text that a spreadsheet program would run as
    a formula gets a leading apostrophe, so it is shown as the text it is. Other values pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value

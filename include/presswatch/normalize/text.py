"""Folding text for matching: case, ё/е, punctuation and spacing do not distinguish two names."""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)


def fold(value: object) -> str:
    """Lower-case, NFC, ё→е, punctuation and runs of spaces to one space, trimmed."""
    text = unicodedata.normalize("NFC", str(value)).casefold().replace("ё", "е")
    return _NON_WORD.sub(" ", text).replace("_", " ").strip()


def clean_cell(value: object) -> str | None:
    """A cell as trimmed text, None when empty. Non-breaking spaces count as spaces."""
    if value is None:
        return None
    text = str(value).replace("\u00a0", " ").strip()
    return text or None

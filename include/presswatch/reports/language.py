"""Boilerplate of a draft language (include/data/i18n/<lang>.yaml) with plural forms, month names and numbers.

Everything language-specific is data: the YAML file holds the words, the month names in the cases the
language needs, the number separators and how to mark a summary written in another script; the plural
rules are CLDR's (through Babel), so a new language is a new YAML file and nothing else.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

import yaml

from .. import settings


def plural_category(language: str, count: int | float | Decimal) -> str:
    """CLDR plural category of a count: 'zero', 'one', 'two', 'few', 'many' or 'other'."""
    from babel import Locale

    return Locale.parse(language).plural_form(abs(count))


def available_languages() -> tuple[str, ...]:
    """Languages with a boilerplate file, in file-name order."""
    return tuple(sorted(p.stem for p in (settings.DATA_DIR / "i18n").glob("*.yaml")))


CYRILLIC = re.compile(r"[\u0400-\u04FF]")
LATIN = re.compile(r"[A-Za-z]")


def script_of(text: str) -> str | None:
    """'cyrillic' or 'latin', whichever has more letters in ``text``; None for text without letters."""
    cyrillic, latin = len(CYRILLIC.findall(text or "")), len(LATIN.findall(text or ""))
    if not cyrillic and not latin:
        return None
    return "cyrillic" if cyrillic >= latin else "latin"


@dataclass(frozen=True)
class Language:
    code: str
    strings: dict

    def text(self, key: str, **values) -> str:
        node = self.strings
        for part in key.split("."):
            node = node[part]
        return str(node).format(**values) if values else str(node)

    def has(self, key: str) -> bool:
        node = self.strings
        for part in key.split("."):
            if not isinstance(node, dict) or part not in node:
                return False
            node = node[part]
        return True

    def _forms(self, forms: dict, count) -> str:
        return forms.get(plural_category(self.code, count)) or forms["other"]

    def plural(self, noun: str, count) -> str:
        """The noun's form for ``count`` ('1 сообщение', '3 сообщения', '7 сообщений')."""
        return self._forms(self.strings["plural"][noun], count)

    def form(self, key: str, count) -> str:
        return self._forms(self.strings[key], count)

    def counted(self, noun: str, count: int) -> str:
        """A number with its noun: '1 000 reports', '21 сообщение'."""
        return f"{self.number(count)} {self.plural(noun, count)}"

    # Months: 'nominative' stands alone (a title, a table heading), 'genitive' follows a day
    # ('15 марта'), 'prepositional' follows 'в' ('в марте'). Languages without cases repeat one list.
    def month(self, number: int, case: str = "nominative") -> str:
        months = self.strings["months"]
        names = (months.get(case) or months["nominative"]) if isinstance(months, dict) else months
        return names[number - 1]

    def month_values(self, month: dt.date) -> dict:
        """Values every period phrase may use: {month}, {month_title} (capitalised), {month_genitive},
        {month_prepositional}, {year}."""
        return {
            "month": self.month(month.month), "month_title": self.month(month.month).capitalize(), "month_genitive": self.month(month.month, "genitive"),
            "month_prepositional": self.month(month.month, "prepositional"), "year": month.year,
        }

    def day_month(self, day: dt.date) -> str:
        return self.text("day_month", day=day.day, month=self.month(day.month),
                         month_genitive=self.month(day.month, "genitive"))

    def number(self, value: int | float | Decimal | None, decimals: int = 0) -> str:
        """Digits grouped in threes with the language's separators (non-breaking space in Russian)."""
        if value is None:
            return ""
        numbers = self.strings.get("numbers", {})
        text = f"{value:,.{decimals}f}"
        return (text.replace(",", "\x00").replace(".", numbers.get("decimal", "."))
                .replace("\x00", numbers.get("group", "\u00a0")))

    def amount(self, value: Decimal | None) -> str:
        """A sum with its currency: '1 000 000 тенге'."""
        if value is None:
            return ""
        return self.text("amount", amount=self.number(value))

    def foreign_marker(self, text: str) -> str:
        """The visible marker for a summary written in another script than the draft's ('' when none)."""
        script = script_of(text)
        if script is None or script == self.strings.get("script"):
            return ""
        return self.strings.get("other_script_markers", {}).get(script, "")


@lru_cache(maxsize=None)
def load_language(code: str) -> Language:
    path = settings.DATA_DIR / "i18n" / f"{code}.yaml"
    return Language(code, yaml.safe_load(path.read_text(encoding="utf-8")))


@lru_cache(maxsize=None)
def organisation() -> dict:
    return yaml.safe_load((settings.DATA_DIR / "organisation.yaml").read_text(encoding="utf-8"))

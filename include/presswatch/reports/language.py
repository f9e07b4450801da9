"""Boilerplate of a draft language (include/data/i18n/<lang>.yaml) with plural forms and month names."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import yaml

from .. import settings


def plural_category(language: str, count: int) -> str:
    """CLDR plural category of a count: 'one', 'few', 'many' or 'other'."""
    n = abs(int(count))
    if language == "ru":
        if n % 10 == 1 and n % 100 != 11:
            return "one"
        if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
            return "few"
        return "many"
    return "one" if n == 1 else "other"


@dataclass(frozen=True)
class Language:
    code: str
    strings: dict

    def text(self, key: str, **values) -> str:
        node = self.strings
        for part in key.split("."):
            node = node[part]
        return str(node).format(**values) if values else str(node)

    def plural(self, noun: str, count: int) -> str:
        forms = self.strings["plural"][noun]
        return forms.get(plural_category(self.code, count)) or forms["other"]

    def form(self, key: str, count: int) -> str:
        forms = self.strings[key]
        return forms.get(plural_category(self.code, count)) or forms["other"]

    def month(self, number: int) -> str:
        return self.strings["months"][number - 1]


@lru_cache(maxsize=None)
def load_language(code: str) -> Language:
    path = settings.DATA_DIR / "i18n" / f"{code}.yaml"
    return Language(code, yaml.safe_load(path.read_text(encoding="utf-8")))


@lru_cache(maxsize=None)
def organisation() -> dict:
    return yaml.safe_load((settings.DATA_DIR / "organisation.yaml").read_text(encoding="utf-8"))

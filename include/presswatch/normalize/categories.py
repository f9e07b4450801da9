"""Categories by code, label or synonym of the taxonomy (include/data/taxonomy.yaml) in English or Russian,
and by their Kazakh names (include/data/categories_kk.yaml)."""

from __future__ import annotations

from functools import lru_cache

import yaml

from .reference import categories, data_path
from .text import fold

KAZAKH_NAMES = "categories_kk.yaml"


@lru_cache(maxsize=None)
def kazakh_names() -> dict[str, tuple[str, ...]]:
    """Category code → its Kazakh names, as listed in the data file."""
    data = yaml.safe_load(data_path(KAZAKH_NAMES).read_text(encoding="utf-8"))
    return {code: tuple(names) for code, names in (data.get("categories") or {}).items()}


def _alternatives(name: str) -> list[str]:
    """A label and, for 'A / B' labels, each alternative of two words or more ('Отказ в аккредитации /
    лишение доступа в госучреждения'): correspondents write one of them."""
    parts = [p.strip() for p in name.split(" / ")] if " / " in name else []
    return [name, *(p for p in parts if len(p.split()) >= 2)]


@lru_cache(maxsize=None)
def _index() -> dict[str, frozenset[str]]:
    index: dict[str, set[str]] = {}
    known = categories()
    for category in known.values():
        for label in category.names:
            for name in _alternatives(label):
                index.setdefault(fold(name), set()).add(category.code)
    for code, names in kazakh_names().items():
        if code not in known:
            raise ValueError(f"{KAZAKH_NAMES}: '{code}' is not a category of the taxonomy")
        for name in names:
            index.setdefault(fold(name), set()).add(code)
    return {name: frozenset(codes) for name, codes in index.items()}


@lru_cache(maxsize=4096)
def _resolve_folded(folded: str) -> frozenset[str]:
    return _index().get(folded, frozenset())


def resolve_category(value: object) -> str:
    """The category code a cell names, or ValueError naming the candidates when it is ambiguous."""
    codes = _resolve_folded(fold(value))
    if len(codes) == 1:
        return next(iter(codes))
    if codes:
        raise ValueError(f"'{value}' is ambiguous: it may mean {' or '.join(sorted(codes))}; write the category code")
    raise ValueError(f"'{value}' is not a category of the taxonomy (use a code or label of include/data/taxonomy.yaml)")

"""Categories by code, label or synonym of the taxonomy (include/data/taxonomy.yaml), in English or Russian."""

from __future__ import annotations

from functools import lru_cache

from .reference import categories
from .text import fold


@lru_cache(maxsize=None)
def _index() -> dict[str, set[str]]:
    index: dict[str, set[str]] = {}
    for category in categories().values():
        for name in category.names:
            index.setdefault(fold(name), set()).add(category.code)
    return index


def resolve_category(value: object) -> str:
    """The category code a cell names, or ValueError naming the candidates when it is ambiguous."""
    codes = _index().get(fold(value), set())
    if len(codes) == 1:
        return next(iter(codes))
    if codes:
        raise ValueError(f"'{value}' is ambiguous: it may mean {', '.join(sorted(codes))}")
    raise ValueError(f"'{value}' is not a category of the taxonomy (use a code or label of include/data/taxonomy.yaml)")

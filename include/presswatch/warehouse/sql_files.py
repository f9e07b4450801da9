"""SQL kept as files under sql/ (marts, checks, refreshes), read once per process."""

from __future__ import annotations

from functools import lru_cache

from .. import settings


@lru_cache(maxsize=None)
def statement(relative_path: str) -> str:
    """The text of ``sql/<relative_path>``."""
    return (settings.SQL_DIR / relative_path).read_text(encoding="utf-8")

"""Databases as they stood before a migration, to test what it does to rows already stored."""

from __future__ import annotations

from pathlib import Path

from include.presswatch.warehouse.migrations import discover


def migrations_before(version: str, folder: Path) -> Path:
    """A copy in ``folder`` of the migrations older than ``version`` (e.g. "0052"), to migrate a database to the
    state a migration starts from and test that migration on stored rows."""
    folder.mkdir(parents=True, exist_ok=True)
    for migration in discover():
        if migration.path.name < version:
            (folder / migration.path.name).write_bytes(migration.path.read_bytes())
    return folder

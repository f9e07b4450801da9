"""Versioned migrations: apply ``sql/NNNN_*.sql`` in order, each once, and record what was applied.

Safe to run again and from several processes at once: an advisory lock serializes runners, applied
files are skipped, and an applied file whose text has changed is an error (migrations are immutable;
write a new one instead).
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from pathlib import Path

import psycopg

from .. import settings

log = logging.getLogger(__name__)

MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
# Any fixed number works; it only has to be the same for every runner.
ADVISORY_LOCK_KEY = 7_150_001


class MigrationError(RuntimeError):
    pass


@dataclass(frozen=True)
class Migration:
    version: str
    path: Path

    @property
    def sql(self) -> str:
        return self.path.read_text(encoding="utf-8")

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.path.read_bytes()).hexdigest()


def discover(sql_dir: Path | None = None) -> list[Migration]:
    found = []
    for path in sorted((sql_dir or settings.SQL_DIR).glob("*.sql")):
        match = MIGRATION_NAME.match(path.name)
        if match:
            found.append(Migration(match.group(1), path))
    versions = [m.version for m in found]
    if len(versions) != len(set(versions)):
        raise MigrationError(f"two migration files share a version number: {versions}")
    return found


def migrate(conn: psycopg.Connection, sql_dir: Path | None = None) -> list[str]:
    """Apply pending migrations; returns the file names applied now."""
    migrations = discover(sql_dir)
    applied_now = []
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (ADVISORY_LOCK_KEY,))
        conn.execute(
            """CREATE TABLE IF NOT EXISTS public.schema_migration (
                   version     text PRIMARY KEY,
                   file_name   text NOT NULL,
                   checksum    text NOT NULL,
                   applied_at  timestamptz NOT NULL DEFAULT now())"""
        )
        done = dict(conn.execute("SELECT version, checksum FROM public.schema_migration").fetchall())
        for migration in migrations:
            if migration.version in done:
                if done[migration.version] != migration.checksum:
                    raise MigrationError(
                        f"{migration.path.name} was changed after it was applied; add a new migration instead"
                    )
                continue
            with conn.transaction():
                conn.execute(migration.sql)
                conn.execute(
                    "INSERT INTO public.schema_migration (version, file_name, checksum) VALUES (%s, %s, %s)",
                    (migration.version, migration.path.name, migration.checksum),
                )
            applied_now.append(migration.path.name)
            log.info("applied migration %s", migration.path.name)
    if not applied_now:
        log.info("warehouse schema is up to date (%d migrations)", len(migrations))
    return applied_now

"""Connecting to the warehouse: an existing PostgreSQL from WAREHOUSE_URL, or the embedded one.

The embedded warehouse is a real PostgreSQL 16 shipped in the ``pgserver`` wheel, with its data under
``<state dir>/warehouse``. It is started on first use and reused by later commands; a server this process
started is stopped when the process exits, one that was already running is left running.
"""

from __future__ import annotations

import logging
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import psycopg

from .. import settings

log = logging.getLogger(__name__)

EMBEDDED_DATABASE = "presswatch"
_embedded_server = None


def _server_is_running(pgdata: Path) -> bool:
    pidfile = pgdata / "postmaster.pid"
    if not pidfile.exists():
        return False
    try:
        pid = int(pidfile.read_text().split()[0])
        os.kill(pid, 0)
    except (ValueError, IndexError, ProcessLookupError, PermissionError):
        return False
    return True


def start_embedded(pgdata: Path | None = None, keep_running: bool | None = None) -> str:
    """Start (or attach to) the embedded PostgreSQL and return a URL of its ``presswatch`` database.

    ``keep_running`` None means: leave running a server that was already running, stop one we started.
    """
    global _embedded_server
    import pgserver  # heavy and only needed when no WAREHOUSE_URL is given

    pgdata = Path(pgdata or settings.state_dir() / "warehouse").resolve()
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    if keep_running is None:
        keep_running = _server_is_running(pgdata)
    server = pgserver.get_server(pgdata, cleanup_mode=None if keep_running else "stop")
    _embedded_server = server
    admin_url = server.get_uri()
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (EMBEDDED_DATABASE,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{EMBEDDED_DATABASE}"')
    url = server.get_uri(EMBEDDED_DATABASE)
    log.info("embedded warehouse at %s", url)
    return url


def stop_embedded(pgdata: Path | None = None) -> bool:
    """Stop the embedded PostgreSQL if it runs; returns whether one was stopped."""
    pgdata = Path(pgdata or settings.state_dir() / "warehouse").resolve()
    if not _server_is_running(pgdata):
        return False
    import pgserver
    server = pgserver.get_server(pgdata, cleanup_mode="stop")
    server.cleanup()
    return True


def warehouse_url() -> str:
    """The warehouse to use: WAREHOUSE_URL when set, else the embedded server (started if needed)."""
    url = os.environ.get("WAREHOUSE_URL")
    if url:
        return url
    url = start_embedded()
    # Children (Airflow task processes, subprocesses) reach the same server without starting another.
    os.environ["WAREHOUSE_URL"] = url
    return url


@contextmanager
def connect(url: str | None = None, autocommit: bool = False) -> Iterator[psycopg.Connection]:
    """A psycopg connection to the warehouse; commits on success, rolls back on error."""
    with psycopg.connect(url or warehouse_url(), autocommit=autocommit) as conn:
        yield conn

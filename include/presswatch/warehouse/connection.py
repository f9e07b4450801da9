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
from psycopg import conninfo, sql

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


def start_embedded_server(pgdata: Path | None = None, keep_running: bool | None = None) -> str:
    """Start (or attach to) the embedded PostgreSQL; returns the URL of its maintenance database.

    ``keep_running`` None means: leave running a server that was already running, stop one we started.
    """
    global _embedded_server
    import pgserver  # heavy and only needed when no WAREHOUSE_URL is given

    pgdata = Path(pgdata or settings.state_dir() / "warehouse").resolve()
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    if keep_running is None:
        keep_running = _server_is_running(pgdata)
    _embedded_server = pgserver.get_server(pgdata, cleanup_mode=None if keep_running else "stop")
    return _embedded_server.get_uri()


def ensure_database(admin_url: str, name: str) -> str:
    """Create database ``name`` on the server of ``admin_url`` if missing; returns its URL."""
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return database_url(admin_url, name)


def drop_database(admin_url: str, name: str) -> None:
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def database_url(url: str, name: str) -> str:
    """The same server and credentials as ``url``, another database."""
    parts = conninfo.conninfo_to_dict(url)
    parts["dbname"] = name
    return conninfo.make_conninfo(**parts)


def start_embedded(pgdata: Path | None = None, keep_running: bool | None = None) -> str:
    """Start (or attach to) the embedded PostgreSQL and return a URL of its ``presswatch`` database."""
    url = ensure_database(start_embedded_server(pgdata, keep_running), EMBEDDED_DATABASE)
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

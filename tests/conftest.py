"""Shared fixtures: a real PostgreSQL for every test that needs one.

The server is the one WAREHOUSE_URL points at, or else the embedded pgserver under
``.data/test-warehouse``. Tests never touch the warehouse's own database: each test session creates
its own database on that server, migrates it, loads the reference data, and drops it at the end.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import psycopg
import pytest

from include.presswatch import airflow_env, settings

# Airflow reads its configuration when first imported: point it at a home of the tests' own first.
os.environ["AIRFLOW_HOME"] = str(settings.state_dir() / "test-airflow")
airflow_env.configure()

from include.presswatch.warehouse import connection  # noqa: E402
from include.presswatch.warehouse.migrations import migrate  # noqa: E402
from include.presswatch.warehouse.reference_sync import sync_reference  # noqa: E402

# Everything but the reference dimensions (ref) and the migration log is data a test may have written.
DATA_SCHEMAS = ("raw", "core", "quarantine", "mart", "mart_stage", "ops")


@pytest.fixture(scope="session")
def server_admin_url() -> str:
    """URL of a maintenance database on a real PostgreSQL server the tests may create databases on."""
    url = os.environ.get("WAREHOUSE_URL")
    if url:
        return url
    return connection.start_embedded_server(settings.state_dir() / "test-warehouse")


@pytest.fixture(scope="session")
def database_factory(server_admin_url):
    """Creates empty databases for the session; drops them all at the end."""
    created = []

    def create(prefix: str = "presswatch_test") -> str:
        name = f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:8]}"
        created.append(name)
        return connection.ensure_database(server_admin_url, name)

    yield create
    for name in created:
        connection.drop_database(server_admin_url, name)


@pytest.fixture(scope="session")
def warehouse_url(database_factory) -> str:
    """A migrated warehouse database with the reference data, shared by the session."""
    url = database_factory()
    with psycopg.connect(url) as conn:
        migrate(conn)
        sync_reference(conn)
    return url


def truncate_data(conn: psycopg.Connection) -> None:
    tables = conn.execute(
        """SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) FROM information_schema.tables
           WHERE table_schema = ANY(%s) AND table_type = 'BASE TABLE'""",
        (list(DATA_SCHEMAS),),
    ).fetchall()
    if tables:
        conn.execute(f"TRUNCATE {', '.join(t for (t,) in tables)} RESTART IDENTITY CASCADE")
    conn.commit()


@pytest.fixture
def conn(warehouse_url):
    """A connection to the session warehouse, emptied of data (reference data kept) before the test."""
    with psycopg.connect(warehouse_url) as connection_:
        truncate_data(connection_)
        yield connection_


@pytest.fixture
def inbox(tmp_path) -> Path:
    """An empty inbox laid out as DESIGN describes."""
    root = tmp_path / "inbox"
    (root / "correspondents").mkdir(parents=True)
    (root / "registry").mkdir()
    return root


def pytest_unconfigure(config):
    # pgserver stops the test server from an atexit hook and logs while doing so, after pytest has closed
    # the streams its log handlers write to; without this, each line becomes a "Logging error" traceback
    # printed after the summary.
    import logging

    logging.raiseExceptions = False

"""Analysts: the read-only role, the example queries they start from, and the data dictionary."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

import psycopg
import pytest
from psycopg import errors

from include.presswatch import settings
from include.presswatch.ops import analysts
from include.presswatch.warehouse import dictionary

QUERIES = sorted((settings.PROJECT_ROOT / "docs" / "queries").glob("*.sql"))
READABLE = ("mart", "core", "ref")
PRIVATE = ("raw", "quarantine", "mart_stage", "ops")
MONTH = dt.date(2024, 3, 1)


@pytest.fixture(scope="module")
def loaded_url(database_factory) -> str:
    """A warehouse of its own with the sample inbox loaded and March 2024 published."""
    from include.presswatch import intake, monthly, registry
    from include.presswatch.warehouse import marts
    from include.presswatch.warehouse.migrations import migrate
    from include.presswatch.warehouse.reference_sync import sync_reference

    url = database_factory("presswatch_analyst")
    with psycopg.connect(url) as conn:
        migrate(conn)
        sync_reference(conn)
        conn.commit()
        intake.ingest_inbox(conn, settings.SAMPLE_INBOX, dt.date(2024, 4, 10))
        conn.commit()
        registry.ingest_registry(conn, settings.SAMPLE_INBOX)
        # The marts only, unchecked: their checks and the drafts are the reporting tests' business.
        monthly.stage(conn, MONTH, "analyst_test")
        with conn.transaction():
            marts.publish_in_transaction(conn, MONTH, "analyst_test", [])
    return url


@pytest.fixture
def as_analyst(loaded_url):
    """A connection that has taken the analyst role, as an analyst's login would."""
    with psycopg.connect(loaded_url, autocommit=True) as conn:
        conn.execute("SET ROLE analyst")
        yield conn


def tables(url: str, schemas) -> list[str]:
    """Tables and views of ``schemas`` as ``schema.table``, quoted where SQL needs it (``quarantine."row"``)."""
    with psycopg.connect(url) as conn:
        return [t for (t,) in conn.execute(
            """SELECT format('%%I.%%I', table_schema, table_name) FROM information_schema.tables
               WHERE table_schema = ANY(%s) ORDER BY 1""", (list(schemas),)).fetchall()]


def test_there_are_example_queries():
    assert len(QUERIES) >= 5


@pytest.mark.parametrize("query", QUERIES, ids=lambda p: p.stem)
def test_example_query_runs_as_analyst(as_analyst, query: Path):
    rows = as_analyst.execute(query.read_text(encoding="utf-8")).fetchall()
    assert rows, f"{query.name} returned nothing on the sample month"


def test_headline_query_gives_the_published_counts(as_analyst):
    rows = as_analyst.execute((settings.PROJECT_ROOT / "docs/queries/monthly_headline.sql").read_text()).fetchall()
    assert sum(reports for *_, reports in rows) > 0


def test_analyst_reads_every_table_of_mart_core_and_ref(loaded_url, as_analyst):
    readable = tables(loaded_url, READABLE)
    assert "mart.monthly_group_counts" in readable and "core.report" in readable
    for table in readable:
        as_analyst.execute(f"SELECT * FROM {table} LIMIT 1").fetchall()


def test_analyst_cannot_read_raw_quarantine_staging_or_ops(loaded_url, as_analyst):
    private = tables(loaded_url, PRIVATE)
    assert {'quarantine."row"', 'raw."row"', "ops.alert"} <= set(private)
    for table in private:
        with pytest.raises(errors.InsufficientPrivilege):
            as_analyst.execute(f"SELECT * FROM {table} LIMIT 1")


def test_analyst_cannot_write_anywhere(loaded_url, as_analyst):
    with psycopg.connect(loaded_url) as owner:
        writable = owner.execute(
            """SELECT c.oid::regclass::text, p FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace,
                      unnest(ARRAY['INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER']) AS p
               WHERE n.nspname = ANY(%s) AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
                 AND has_table_privilege('analyst', c.oid, p)""", (list(READABLE + PRIVATE + ("public",)),)).fetchall()
        writable_sequences = owner.execute(
            """SELECT c.oid::regclass::text FROM pg_class c WHERE CASE WHEN c.relkind = 'S'
                 THEN has_sequence_privilege('analyst', c.oid, 'UPDATE') ELSE false END""").fetchall()
    assert writable == [] and writable_sequences == []
    with pytest.raises(errors.InsufficientPrivilege):
        as_analyst.execute("DELETE FROM mart.monthly_group_counts")
    with pytest.raises(errors.InsufficientPrivilege):
        as_analyst.execute("UPDATE core.report SET summary = 'x'")
    with pytest.raises(errors.InsufficientPrivilege):
        as_analyst.execute("INSERT INTO ref.category_group VALUES ('x', 'x', 'x', true, 0)")
    (server_version,) = as_analyst.execute("SHOW server_version_num").fetchone()
    # Before PostgreSQL 15 every role could create in public; from 15 on nobody but its owner can.
    schemas = READABLE + PRIVATE + (("public",) if int(server_version) >= 150000 else ())
    for schema in schemas:
        with pytest.raises(errors.InsufficientPrivilege):
            as_analyst.execute(f"CREATE TABLE {schema}.analyst_was_here (x int)")


def test_analyst_login_is_read_only_and_sees_the_marts(loaded_url):
    name = f"analyst_test_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(loaded_url, autocommit=True) as admin:
        analysts.create_login(admin, name, "s3cret-for-tests")
        try:
            # Role settings take effect at login; connect as the new role (the server trusts local users).
            with psycopg.connect(loaded_url, user=name, password="s3cret-for-tests") as login:
                (reports,) = login.execute("SELECT sum(reports) FROM mart.monthly_group_counts").fetchone()
                assert reports > 0
                assert login.execute("SHOW default_transaction_read_only").fetchone() == ("on",)
                with pytest.raises(errors.InsufficientPrivilege):
                    login.execute("SELECT count(*) FROM quarantine.row")
        finally:
            analysts.drop_login(admin, name)


def test_analyst_role_migration_can_run_again(loaded_url):
    # Roles are the server's: a second warehouse on the same server runs the migration with the role present.
    text = (settings.SQL_DIR / "0020_analyst_role.sql").read_text()
    with psycopg.connect(loaded_url) as conn:
        conn.execute(text)
        conn.rollback()


def test_committed_data_dictionary_is_up_to_date(warehouse_url):
    with psycopg.connect(warehouse_url) as conn:
        expected = dictionary.describe(conn)
    committed = dictionary.DOC_PATH.read_text(encoding="utf-8") if dictionary.DOC_PATH.exists() else ""
    assert committed == expected, "docs/warehouse.md is stale: run `make docs` and commit it"


def test_data_dictionary_documents_the_analyst_tables():
    text = dictionary.DOC_PATH.read_text(encoding="utf-8")
    for table in ("mart.monthly_group_counts", "mart.monthly_category_counts", "core.report", "core.legal_case",
                  "core.registry_notice", "quarantine.row", "ops.alert"):
        assert f"### {table}\n" in text
    assert "| [`quarantine`](#quarantine) | no access |" in text
    assert "| [`mart`](#mart) | read |" in text

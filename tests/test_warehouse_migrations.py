"""Migrations: applied once, recorded, safe to rerun, immutable once applied; every table documented."""

import psycopg
import pytest

from include.presswatch import settings
from include.presswatch.warehouse.migrations import MigrationError, discover, migrate


def test_migrations_apply_once_and_rerun_is_a_no_op(database_factory):
    url = database_factory()
    with psycopg.connect(url) as conn:
        applied = migrate(conn)
        assert applied == [m.path.name for m in discover()]
        assert migrate(conn) == []
        recorded = [v for (v,) in conn.execute("SELECT version FROM public.schema_migration ORDER BY version")]
        assert recorded == [m.version for m in discover()]


def test_changed_migration_is_refused(database_factory, tmp_path):
    for migration in discover():
        (tmp_path / migration.path.name).write_bytes(migration.path.read_bytes())
    url = database_factory()
    with psycopg.connect(url) as conn:
        migrate(conn, tmp_path)
        first = sorted(tmp_path.glob("*.sql"))[0]
        first.write_text(first.read_text() + "\n-- edited after the fact\n")
        with pytest.raises(MigrationError, match="changed after it was applied"):
            migrate(conn, tmp_path)


def test_every_analyst_table_and_column_has_a_comment(warehouse_url):
    with psycopg.connect(warehouse_url) as conn:
        undocumented = conn.execute(
            """
            SELECT c.table_schema || '.' || c.table_name || '.' || c.column_name
            FROM information_schema.columns c
            JOIN information_schema.tables t USING (table_schema, table_name)
            WHERE c.table_schema IN ('ref', 'raw', 'core', 'quarantine', 'mart')
              AND t.table_type = 'BASE TABLE'
              AND col_description(format('%I.%I', c.table_schema, c.table_name)::regclass, c.ordinal_position) IS NULL
            UNION ALL
            SELECT t.table_schema || '.' || t.table_name
            FROM information_schema.tables t
            WHERE t.table_schema IN ('ref', 'raw', 'core', 'quarantine', 'mart') AND t.table_type = 'BASE TABLE'
              AND obj_description(format('%I.%I', t.table_schema, t.table_name)::regclass, 'pg_class') IS NULL
            """
        ).fetchall()
    assert undocumented == []


def test_migration_files_are_numbered_without_gaps_in_format():
    names = [p.name for p in sorted(settings.SQL_DIR.glob("[0-9]*.sql"))]
    assert names == [m.path.name for m in discover()], "a file in sql/ looks like a migration but is misnamed"

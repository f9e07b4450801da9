"""Bulk writes with COPY: the one way rows enter the warehouse in volume."""

from __future__ import annotations

from typing import Iterable, Sequence

import psycopg
from psycopg import sql


def copy_rows(conn: psycopg.Connection, table: str, columns: Sequence[str], rows: Iterable[Sequence[object]],
              types: Sequence[str | int] | None = None) -> int:
    """COPY rows into ``schema.table (columns)``; returns how many were written.

    With ``types`` (one PostgreSQL type name or oid per column, as the table declares them) the rows travel
    in COPY's binary format: no text to parse on the server for dates, numbers and booleans.
    """
    schema, _, name = table.rpartition(".")
    target = sql.Identifier(schema, name) if schema else sql.Identifier(name)
    statement = sql.SQL("COPY {} ({}) FROM STDIN{}").format(
        target, sql.SQL(", ").join(map(sql.Identifier, columns)), sql.SQL(" (FORMAT BINARY)" if types else "")
    )
    count = 0
    with conn.cursor() as cur, cur.copy(statement) as copy:
        if types:
            copy.set_types(types)
        write = copy.write_row
        for row in rows:
            write(row)
            count += 1
    return count


def upsert_via_copy(
    conn: psycopg.Connection, table: str, key: Sequence[str], columns: Sequence[str], rows: Iterable[Sequence[object]]
) -> int:
    """COPY rows into a temporary table, then insert-or-update them into ``table`` by ``key``."""
    schema, _, name = table.rpartition(".")
    temp = f"upsert_{name}"
    # Dropped explicitly at the end too: ON COMMIT DROP waits for the outermost commit, and a caller's
    # open transaction may upsert the same table again before that.
    conn.execute(
        sql.SQL("CREATE TEMP TABLE {} (LIKE {} INCLUDING DEFAULTS) ON COMMIT DROP").format(
            sql.Identifier(temp), sql.Identifier(schema, name)
        )
    )
    count = copy_rows(conn, temp, columns, rows)
    updates = [c for c in columns if c not in key]
    conn.execute(
        sql.SQL("INSERT INTO {target} ({cols}) SELECT {cols} FROM {temp} ON CONFLICT ({key}) DO UPDATE SET {sets}").format(
            target=sql.Identifier(schema, name),
            cols=sql.SQL(", ").join(map(sql.Identifier, columns)),
            temp=sql.Identifier(temp),
            key=sql.SQL(", ").join(map(sql.Identifier, key)),
            sets=sql.SQL(", ").join(
                sql.SQL("{} = EXCLUDED.{}").format(sql.Identifier(c), sql.Identifier(c)) for c in updates
            ),
        )
    )
    conn.execute(sql.SQL("DROP TABLE {}").format(sql.Identifier(temp)))
    return count

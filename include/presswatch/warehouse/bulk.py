"""Bulk writes with COPY: the one way rows enter the warehouse in volume."""

from __future__ import annotations

from functools import lru_cache
from typing import Iterable, Sequence

import psycopg
from psycopg import adapt, sql
from psycopg._copy_base import format_row_text as _format_row_text  # psycopg's COPY row encoder, C when compiled

# Adapts values as psycopg does for a UTF-8 connection; COPY text needs no connection to be written.
_TEXT_ROWS = adapt.Transformer()


@lru_cache(maxsize=64)
def _copy_statement(table: str, columns: tuple[str, ...], binary: bool = False) -> bytes:
    """``COPY schema.table (columns) FROM STDIN``, composed once: a load writes the same few tables for every file,
    and composing identifiers is most of what a small COPY costs this process."""
    schema, _, name = table.rpartition(".")
    return sql.SQL("COPY {} ({}) FROM STDIN{}").format(
        sql.Identifier(schema, name) if schema else sql.Identifier(name),
        sql.SQL(", ").join(map(sql.Identifier, columns)),
        sql.SQL(" (FORMAT BINARY)" if binary else ""),
    ).as_bytes(None)


def copy_rows(conn: psycopg.Connection, table: str, columns: Sequence[str], rows: Iterable[Sequence[object]],
              types: Sequence[str | int] | None = None) -> int:
    """COPY rows into ``schema.table (columns)``; returns how many were written.

    With ``types`` (one PostgreSQL type name or oid per column, as the table declares them) the rows travel
    in COPY's binary format: no text to parse on the server for dates, numbers and booleans.
    """
    statement = _copy_statement(table, tuple(columns), binary=bool(types))
    count = 0
    with conn.cursor() as cur, cur.copy(statement) as copy:
        if types:
            copy.set_types(types)
        write = copy.write_row
        for row in rows:
            write(row)
            count += 1
    return count


# What psycopg's encoder escapes, escaped alike: a report's content hash is taken over these bytes, whichever
# encoder wrote them.
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\v": "\\v", "\f": "\\f",
                               "\r": "\\r"})


def copy_text_value(value: object) -> str:
    """A value as COPY's text format takes it: NULL as \\N, booleans as t/f, dates in ISO form, and a
    backslash, backspace, tab, newline, vertical tab, form feed or carriage return inside text escaped."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    return (value if type(value) is str else str(value)).translate(_COPY_ESCAPES)


def _own_text_line(values: Sequence[object]) -> bytes:
    return ("\t".join(map(copy_text_value, values)) + "\n").encode()


def copy_text_line(values: Sequence[object]) -> bytes:
    """One row in COPY's text format, UTF-8, with its line end.

    psycopg's own encoder of COPY rows (compiled, in psycopg[binary]) does it in half the time of Python code,
    and writes what the server reads back as the same values. Text it refuses to send (a NUL character, which
    PostgreSQL cannot store) or a value it cannot adapt is encoded here instead, so that the server names the
    problem when the file is loaded, and the other files of a chunk are not stopped by it."""
    line = bytearray()
    try:
        _format_row_text(values, _TEXT_ROWS, line)
    except psycopg.Error:
        return _own_text_line(values)
    return bytes(line)


def copy_lines(conn: psycopg.Connection, table: str, columns: Sequence[str], lines: Sequence[bytes],
               prefix: bytes = b"") -> int:
    """COPY rows already encoded by ``copy_text_line`` (each with its line end) into ``schema.table (columns)``,
    each led by ``prefix`` (the tab-ended values of the leading columns, the same for every row); returns how
    many were written.

    Encoding rows where they are prepared (a worker process) leaves the loading process nothing per row to do
    but join bytes."""
    if not lines:
        return 0
    statement = _copy_statement(table, tuple(columns))
    data = prefix + prefix.join(lines) if prefix else b"".join(lines)
    if conn.info.encoding != "utf-8":  # the lines are UTF-8; the server reads what the connection says
        data = data.decode("utf-8").encode(conn.info.encoding)
    with conn.cursor() as cur, cur.copy(statement) as copy:
        copy.write(data)
    return len(lines)


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

"""Logins for analysts: members of the read-only ``analyst`` role (``sql/0020_analyst_role.sql``)."""

from __future__ import annotations

import secrets

import psycopg
from psycopg import sql

ANALYST_ROLE = "analyst"
# Role settings apply to the role a session logs in as, not to the groups it is in: set them per login.
LOGIN_SETTINGS = {"default_transaction_read_only": "on", "statement_timeout": "5min"}


def create_login(conn: psycopg.Connection, name: str, password: str | None = None) -> str:
    """Create (or reset) login ``name`` in the analyst role; returns its password.

    Needs a connection as a role with CREATEROLE (the warehouse owner). The login can read what
    ``analyst`` reads and nothing else; its sessions are read-only and stop runaway queries.
    """
    password = password or secrets.token_urlsafe(18)
    role = sql.Identifier(name)
    with conn.transaction():
        exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone()
        verb = sql.SQL("ALTER") if exists else sql.SQL("CREATE")
        # Passwords cannot be bound parameters in DDL: quote the literal on the client side.
        conn.execute(sql.SQL("{} ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE INHERIT PASSWORD {}").format(
            verb, role, sql.Literal(password)))
        conn.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(ANALYST_ROLE), role))
        for setting, value in LOGIN_SETTINGS.items():
            conn.execute(sql.SQL("ALTER ROLE {} SET {} = {}").format(role, sql.Identifier(setting), sql.Literal(value)))
    return password


def drop_login(conn: psycopg.Connection, name: str) -> None:
    with conn.transaction():
        conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(name)))

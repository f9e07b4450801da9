"""Monthly marts: build them in staging for one run, check them, then publish them in one transaction.

A run that fails before ``publish`` leaves the published marts (and drafts) of the month untouched.
"""

from __future__ import annotations

import datetime as dt
import json
import logging

import psycopg

from .. import settings
from . import legal_cases
from .sql_files import statement

log = logging.getLogger(__name__)

MART_BUILDERS = (
    "monthly_group_counts", "monthly_category_counts", "monthly_region_counts",
    # History marts (issue 4): each reads core for the month's own window, never another month's marts.
    "obstruction_by_year", "ytd_comparison", "monthly_legal_claims", "refusals_by_perpetrator_type",
)


def _obstruction_since() -> dt.date:
    """First day of the year the cumulative obstruction statistics start from (include/data/organisation.yaml)."""
    import yaml

    data = yaml.safe_load((settings.DATA_DIR / "organisation.yaml").read_text(encoding="utf-8"))
    return dt.date(int(data["obstruction_since"]), 1, 1)


class MartCheckFailed(RuntimeError):
    """The staged marts broke a check; nothing was published."""


def _statements(relative_path: str) -> list[str]:
    # psycopg sends one statement per execute when parameters are bound.
    text = "\n".join(line for line in statement(relative_path).splitlines() if not line.lstrip().startswith("--"))
    return [s.strip() for s in text.split(";") if s.strip()]


def _execute_file(conn: psycopg.Connection, relative_path: str, params: dict) -> None:
    for sql_text in _statements(relative_path):
        conn.execute(sql_text, params)


def build_stage(conn: psycopg.Connection, month: dt.date, run_id: str) -> dict[str, int]:
    """Stage the month's marts for ``run_id``; returns rows staged per mart."""
    params = {"month": month, "run_id": run_id, "obstruction_since": _obstruction_since()}
    counts = {}
    with conn.transaction():
        # Violator types first written this month get their code before the refusals are counted by type.
        legal_cases.map_actor_wordings(conn, month)
        _execute_file(conn, "marts/discard_stage.sql", params)
        for mart in MART_BUILDERS:
            _execute_file(conn, f"marts/{mart}.sql", params)
            (counts[mart],) = conn.execute(
                f"SELECT count(*) FROM mart_stage.{mart} WHERE run_id = %(run_id)s", params
            ).fetchone()
    log.info("staged marts for %s (run %s): %s", f"{month:%Y-%m}", run_id, counts)
    return counts


def check_stage(conn: psycopg.Connection, run_id: str) -> list[str]:
    """Run every check of sql/checks on the staged marts; returns what failed (empty when all pass)."""
    failures = []
    for path in sorted((settings.SQL_DIR / "checks").glob("*.sql")):
        rows = conn.execute(statement(f"checks/{path.name}"), {"run_id": run_id}).fetchall()
        failures += [f"{path.stem}: {message}" for (message,) in rows]
        log.info("check %s: %s", path.stem, "failed" if rows else "passed")
    return failures


def staged_group_counts(conn: psycopg.Connection, run_id: str) -> dict[str, int]:
    return dict(conn.execute(
        "SELECT group_code, reports FROM mart_stage.monthly_group_counts WHERE run_id = %s", (run_id,)
    ).fetchall())


def publish_in_transaction(conn: psycopg.Connection, month: dt.date, run_id: str, drafts: list[str]) -> dict[str, int]:
    """Replace the month's marts with the staged ones; must be called inside the caller's transaction."""
    params = {"month": month, "run_id": run_id}
    headline = staged_group_counts(conn, run_id)
    if not headline:
        raise MartCheckFailed(f"nothing staged for run {run_id}")
    _execute_file(conn, "marts/publish.sql", params)
    conn.execute(
        """INSERT INTO mart.publication (month, run_id, drafts, headline) VALUES (%s, %s, %s, %s)
           ON CONFLICT (month) DO UPDATE SET run_id = EXCLUDED.run_id, published_at = now(),
                                             drafts = EXCLUDED.drafts, headline = EXCLUDED.headline""",
        (month, run_id, drafts, json.dumps(headline)),
    )
    _execute_file(conn, "marts/discard_stage.sql", params)
    return headline


def discard_stage(conn: psycopg.Connection, run_id: str) -> None:
    _execute_file(conn, "marts/discard_stage.sql", {"run_id": run_id})

"""Everything a month's draft says, read from the warehouse: staged headline counts of the run being
published, the month's reports for the narrative, obstruction statistics, legal claims, year to date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import psycopg
from psycopg.rows import dict_row

from ..warehouse.sql_files import statement

STATEMENT_CATEGORIES = ("official_statement", "organisation_statement", "international_assessment")
LEGISLATION_CATEGORIES = ("legislation",)
OBSTRUCTION_CATEGORY = "obstruction_lawful_activity"


@dataclass
class DraftData:
    month: dt.date
    groups: list[dict]
    categories: dict[str, list[dict]]
    items: list[dict]
    confidential_count: int
    obstruction_by_year: list[dict]
    ytd: list[dict]
    previous_year_has_data: bool
    registry: dict = field(default_factory=dict)

    def items_in(self, categories: tuple[str, ...]) -> list[dict]:
        return [i for i in self.items if i["category_code"] in categories]

    @property
    def incidents(self) -> list[dict]:
        """Counted reports outside legal claims, to be grouped by city."""
        return [i for i in self.items if i["counted"] and i["group_code"] != "legal_claims"]

    @property
    def new_claims(self) -> list[dict]:
        return [i for i in self.items if i["counted"] and i["group_code"] == "legal_claims"]

    @property
    def case_updates(self) -> list[dict]:
        return [i for i in self.items if not i["counted"] and i["group_code"] == "legal_claims"]

    @property
    def obstruction_this_month(self) -> int:
        return next((c["reports"] for g in self.categories.values() for c in g if c["code"] == OBSTRUCTION_CATEGORY), 0)


def _rows(conn: psycopg.Connection, name: str, params: dict) -> list[dict]:
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(statement(f"reports/{name}.sql"), params).fetchall()


def _registry(conn: psycopg.Connection, month: dt.date) -> dict:
    """Matched registry notices, once the registry pipeline's tables exist."""
    (exists,) = conn.execute("SELECT to_regclass('core.registry_match') IS NOT NULL").fetchone()
    if not exists:
        return {"loaded": False, "matches": []}
    return registry_matches(conn, month)


def registry_matches(conn: psycopg.Connection, month: dt.date) -> dict:
    (snapshots,) = conn.execute("SELECT count(*) FROM core.registry_snapshot").fetchone()
    return {"loaded": snapshots > 0, "matches": _rows(conn, "registry_matches", {"month": month})}


def collect(conn: psycopg.Connection, month: dt.date, run_id: str) -> DraftData:
    params = {"month": month, "run_id": run_id}
    categories: dict[str, list[dict]] = {}
    for row in _rows(conn, "headline_categories", params):
        categories.setdefault(row["group_code"], []).append(row)
    (confidential,) = conn.execute(statement("reports/confidential_count.sql"), params).fetchone()
    (previous_year,) = conn.execute(statement("reports/previous_year_has_data.sql"), params).fetchone()
    return DraftData(
        month=month,
        groups=_rows(conn, "headline_groups", params),
        categories=categories,
        items=_rows(conn, "month_items", params),
        confidential_count=confidential,
        obstruction_by_year=_rows(conn, "obstruction_by_year", params),
        ytd=_rows(conn, "ytd_by_group", params),
        previous_year_has_data=previous_year,
        registry=_registry(conn, month),
    )

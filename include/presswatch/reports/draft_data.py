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
    group_history: list[dict] = field(default_factory=list)
    regions: list[dict] = field(default_factory=list)
    # History marts (issue 4): year to date per category, new claims by kind and article, refusals by who
    # refused, the month's new cases and updates on cases under way (from core.legal_case / _event).
    ytd_categories: list[dict] = field(default_factory=list)
    legal_claims_by_article: list[dict] = field(default_factory=list)
    refusals_by_perpetrator: list[dict] = field(default_factory=list)
    new_legal_cases: list[dict] = field(default_factory=list)
    ongoing_cases: list[dict] = field(default_factory=list)

    def headline(self) -> dict:
        """The counts a version is compared on: per group and per category."""
        return {
            "groups": {g["code"]: g["reports"] for g in self.groups},
            "categories": {c["code"]: c["reports"] for cs in self.categories.values() for c in cs},
            "confidential": self.confidential_count,
        }

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
    def refusals_state_share(self) -> float | None:
        """Share of the month's refusals by state bodies, law enforcement and state-affiliated organisations."""
        if not self.refusals_by_perpetrator:
            return None
        return float(sum(r["share"] for r in self.refusals_by_perpetrator if r["in_state_share"]))

    @property
    def ytd_amount_claimed_kzt(self):
        """Damages claimed in the year's new legal claims so far, in tenge."""
        return sum((r["ytd_amount_claimed_kzt"] for r in self.legal_claims_by_article), 0)

    @property
    def obstruction_this_month(self) -> int:
        return next((c["reports"] for g in self.categories.values() for c in g if c["code"] == OBSTRUCTION_CATEGORY), 0)


# Where each part of the draft comes from: a SQL file under sql/reports/ (run with month and run_id).
# Another mart (year to date, obstruction statistics) replaces a file name here, nothing else.
SOURCES = {
    "groups": "headline_groups",
    "categories": "headline_categories",
    "items": "month_items",
    "obstruction_by_year": "obstruction_by_year",
    "ytd": "ytd_by_group",
    "group_history": "group_counts_12_months",
    "regions": "region_counts",
    "ytd_categories": "ytd_by_category",
    "legal_claims_by_article": "legal_claims_by_article",
    "refusals_by_perpetrator": "refusals_by_perpetrator",
    "new_legal_cases": "new_legal_cases",
    "ongoing_cases": "ongoing_cases",
}


def _rows(conn: psycopg.Connection, name: str, params: dict) -> list[dict]:
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(statement(f"reports/{name}.sql"), params).fetchall()


def _registry(conn: psycopg.Connection, month: dt.date) -> dict:
    """Matched registry notices and OONI evidence, once the registry pipeline's tables exist."""
    (exists,) = conn.execute("SELECT to_regclass('core.registry_match') IS NOT NULL").fetchone()
    registry = registry_matches(conn, month) if exists else {"loaded": False, "matches": []}
    registry["ooni"] = ooni_blocking(conn, month)
    return registry


def ooni_blocking(conn: psycopg.Connection, month: dt.date) -> dict:
    """OONI measurements of the month confirming blocking of monitored outlets (one row per outlet, host and
    country), and how many more showed an anomaly only."""
    (exists,) = conn.execute("SELECT to_regclass('core.ooni_outlet_measurement') IS NOT NULL").fetchone()
    if not exists:
        return {"confirmed": [], "anomaly_only": 0}
    (anomaly_only,) = conn.execute(statement("reports/ooni_anomaly_only.sql"), {"month": month}).fetchone()
    return {"confirmed": _rows(conn, "ooni_confirmed_blocking", {"month": month}), "anomaly_only": anomaly_only}


def registry_matches(conn: psycopg.Connection, month: dt.date) -> dict:
    (snapshots,) = conn.execute("SELECT count(*) FROM core.registry_snapshot").fetchone()
    return {"loaded": snapshots > 0, "matches": _rows(conn, "registry_matches", {"month": month})}


def collect(conn: psycopg.Connection, month: dt.date, run_id: str) -> DraftData:
    params = {"month": month, "run_id": run_id}
    categories: dict[str, list[dict]] = {}
    for row in _rows(conn, SOURCES["categories"], params):
        categories.setdefault(row["group_code"], []).append(row)
    (confidential,) = conn.execute(statement("reports/confidential_count.sql"), params).fetchone()
    (previous_year,) = conn.execute(statement("reports/previous_year_has_data.sql"), params).fetchone()
    return DraftData(
        month=month,
        groups=_rows(conn, SOURCES["groups"], params),
        categories=categories,
        items=_rows(conn, SOURCES["items"], params),
        confidential_count=confidential,
        obstruction_by_year=_rows(conn, SOURCES["obstruction_by_year"], params),
        ytd=_rows(conn, SOURCES["ytd"], params),
        previous_year_has_data=previous_year,
        registry=_registry(conn, month),
        group_history=_rows(conn, SOURCES["group_history"], params),
        regions=_rows(conn, SOURCES["regions"], params),
        **{name: _rows(conn, SOURCES[name], params) for name in (
            "ytd_categories", "legal_claims_by_article", "refusals_by_perpetrator", "new_legal_cases", "ongoing_cases",
        )},
    )

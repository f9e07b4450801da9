"""History marts: the obstruction table since 2019 from the bundled archive, year-to-date comparisons with
their ratios, a month rebuilt without touching other months, and a backfill run twice giving the same marts."""

import datetime as dt
import importlib.util
import shutil

import psycopg
import pytest

from include.presswatch import settings
from include.presswatch.intake import ingest_inbox
from include.presswatch.warehouse import marts
from include.presswatch.warehouse.migrations import migrate
from include.presswatch.warehouse.reference_sync import sync_reference
from tests.workbooks import report, write_csv

TODAY = dt.date(2024, 4, 5)
ARCHIVE = settings.SAMPLE_INBOX / "correspondents" / "archive"
MART_TABLES = ("monthly_group_counts", "monthly_category_counts", "monthly_region_counts", "obstruction_by_year",
               "ytd_comparison", "monthly_legal_claims", "refusals_by_perpetrator_type")


def archive_builder():
    spec = importlib.util.spec_from_file_location("build_archive", settings.SAMPLE_INBOX / "build_archive.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def marts_snapshot(conn):
    def order(row):
        return tuple((value is None, str(value)) for value in row)

    return {t: sorted(conn.execute(f"SELECT * FROM mart.{t}").fetchall(), key=order) for t in MART_TABLES}


def test_obstruction_by_year_equals_the_archive_figures(database_factory, tmp_path):
    url = database_factory()
    inbox = tmp_path / "inbox"
    shutil.copytree(ARCHIVE, inbox / "correspondents" / "archive")
    with psycopg.connect(url) as conn:
        migrate(conn)
        sync_reference(conn)
        outcomes = ingest_inbox(conn, inbox, TODAY)
        assert {o.rows_quarantined for o in outcomes} == {0}
        marts.build_stage(conn, dt.date(2024, 2, 1), "archive")
        assert marts.check_stage(conn, "archive") == []
        table = {year: tuple(rest) for year, *rest in conn.execute(
            """SELECT year, reports, appeals_to_law_enforcement, sent_to_court, verdicts_for_journalists
               FROM mart_stage.obstruction_by_year WHERE run_id = 'archive' ORDER BY year""")}
    assert table == archive_builder().OBSTRUCTION
    # With March 2024's four reports (one appeal) the overview's statements hold: over 300 since 2019, 18 appeals,
    # 3 cases in court (one in 2022), 2 verdicts in 2023.
    reports, appeals, court, verdicts = (sum(column) for column in zip(*table.values()))
    assert (reports + 4, appeals + 1, court, verdicts) == (306, 18, 3, 2)
    assert table[2022][2] == 1 and table[2023][3] == 2


@pytest.fixture
def two_years(conn, inbox):
    """Refusals, a threat and legal claims in January–February of 2023 and 2024."""
    refusal = dict(category="refusal_restriction_information")
    rows = (
        [report(event_date=dt.date(2023, 1, 10 + i), **refusal) for i in range(2)]
        + [report(event_date=dt.date(2023, 2, 7), **refusal)]
        + [report(event_date=dt.date(2024, 1, 10 + i), **refusal) for i in range(3)]
        + [report(event_date=dt.date(2024, 2, 10 + i), **refusal) for i in range(3)]
        + [report(event_date=dt.date(2024, 2, 15), category="threats", summary="Угроза журналисту")]
        + [report(event_date=dt.date(2023, 2, 1), category="civil_claims", case_ref="2-1/2023", case_stage="новый иск"),
           report(event_date=dt.date(2024, 2, 2), category="civil_claims", case_ref="2-1/2023", case_stage="решение"),
           report(event_date=dt.date(2024, 2, 3), category="civil_claims", case_ref="2-4/2024", case_stage="новый иск")]
    )
    write_csv(inbox / "correspondents" / "two_years.csv", rows)
    ingest_inbox(conn, inbox, TODAY)
    conn.commit()  # a backfill's tasks read it through connections of their own
    return conn


def test_year_to_date_ratios_compare_with_the_same_months_a_year_earlier(two_years):
    conn = two_years
    marts.build_stage(conn, dt.date(2024, 2, 1), "feb")
    assert marts.check_stage(conn, "feb") == []
    rows = {(g, c): tuple(rest) for g, c, *rest in conn.execute(
        """SELECT group_code, category_code, ytd_reports, prev_ytd_reports, ratio, month_reports, prev_month_reports,
                  month_on_month_ratio, same_month_last_year_reports, year_on_year_ratio
           FROM mart_stage.ytd_comparison WHERE run_id = 'feb'""")}
    # Refusals: 6 this year against 3 ("2 times more"); February 3 against January 3 and against 1 a year earlier.
    assert rows[("access_dissemination", None)] == (6, 3, 2, 3, 3, 1, 1, 3)
    assert rows[("access_dissemination", "refusal_restriction_information")] == (6, 3, 2, 3, 3, 1, 1, 3)
    # Nothing a year earlier: no ratio rather than a wrong one.
    assert rows[("journalist_media_rights", None)] == (1, 0, None, 1, 0, None, 0, None)
    # The decision on the 2023 case is not a new claim: one new claim each year.
    assert rows[("legal_claims", None)] == (1, 1, 1, 1, 0, None, 1, 1)


def rebuild_marts(conn, month, run_id):
    """The marts part of a monthly run (stage, check, publish); the drafts are the end-to-end tests' business."""
    marts.build_stage(conn, month, run_id)
    assert marts.check_stage(conn, run_id) == []
    with conn.transaction():
        marts.publish_in_transaction(conn, month, run_id, [])


def test_rebuilding_a_month_neither_reads_nor_rewrites_other_months(two_years):
    conn = two_years
    for month in (dt.date(2024, 1, 1), dt.date(2024, 2, 1)):
        rebuild_marts(conn, month, f"run-{month:%Y%m}")
    # January's published marts are made wrong on purpose: February's rebuild must neither use nor repair them.
    conn.execute("UPDATE mart.ytd_comparison SET ytd_reports = 999 WHERE month = '2024-01-01'")
    conn.execute("UPDATE mart.obstruction_by_year SET reports = 999 WHERE as_of_month = '2024-01-01'")
    before = marts_snapshot(conn)
    rebuild_marts(conn, dt.date(2024, 2, 1), "run-202402-again")
    after = marts_snapshot(conn)
    assert after == before, "a month's rebuild changed marts (its own are rebuilt identical, others untouched)"


@pytest.mark.e2e
def test_backfilling_a_range_twice_gives_identical_marts(two_years, warehouse_url, tmp_path, monkeypatch):
    from include.presswatch.backfill import backfill

    monkeypatch.setenv("WAREHOUSE_URL", warehouse_url)
    first_runs = backfill("2024-01", "2024-03", storage=str(tmp_path), ingest=False)
    first = marts_snapshot(two_years)
    backfill("2024-01", "2024-03", storage=str(tmp_path), ingest=False)
    second = marts_snapshot(two_years)
    assert [r.month for r in first_runs] == ["2024-01", "2024-02", "2024-03"]
    assert {m for m, *_ in first["monthly_group_counts"]} == {dt.date(2024, m, 1) for m in (1, 2, 3)}
    assert second == first
    published = two_years.execute("SELECT count(DISTINCT run_id) FROM mart.publication").fetchone()
    assert published == (3,)

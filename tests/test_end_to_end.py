"""End to end through Airflow: the CLI behind `make run` runs the DAGs (dag.test) on a real warehouse.

Each run is a separate process, as a user's `make run` is, against a fresh database of the test server.
"""

import datetime as dt
import os
import subprocess
import sys

import psycopg
import pytest

from include.presswatch import settings
from tests.workbooks import EN_HEADERS, report, write_csv, write_xlsx

pytestmark = pytest.mark.e2e

MARCH = dt.date(2024, 3, 1)


def run_cli(url, storage, *args):
    env = dict(
        os.environ,
        WAREHOUSE_URL=url,
        PRESSWATCH_STORAGE=str(storage),
        AIRFLOW_HOME=str(settings.state_dir() / "test-airflow-cli"),
        PYTHONPATH=str(settings.PROJECT_ROOT),
    )
    result = subprocess.run(
        [sys.executable, "-m", "include.presswatch.cli", *args],
        env=env, capture_output=True, text=True, timeout=600, cwd=settings.PROJECT_ROOT,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout


def snapshot(url):
    with psycopg.connect(url) as conn:
        return {
            "reports": conn.execute(
                "SELECT file_id, sheet, row_number, event_date, region_code, category_code, content_hash "
                "FROM core.report ORDER BY 1, 2, 3").fetchall(),
            "cases": conn.execute("SELECT * FROM core.legal_case ORDER BY 1").fetchall(),
            "quarantine": conn.execute("SELECT file_id, sheet, row_number, message FROM quarantine.row ORDER BY 1, 2, 3").fetchall(),
            "groups": conn.execute("SELECT * FROM mart.monthly_group_counts ORDER BY 1, 2").fetchall(),
            "categories": conn.execute("SELECT * FROM mart.monthly_category_counts ORDER BY 1, 3").fetchall(),
            "regions": conn.execute("SELECT * FROM mart.monthly_region_counts ORDER BY 1, 2, 3").fetchall(),
        }


@pytest.fixture(scope="module")
def demo_run(database_factory, tmp_path_factory):
    """The demo's month on the bundled sample inbox, run twice."""
    url = database_factory("presswatch_e2e")
    storage = tmp_path_factory.mktemp("storage")
    first_output = run_cli(url, storage, "run", "--month", "2024-03", "--inbox", str(settings.SAMPLE_INBOX))
    first = snapshot(url)
    second_output = run_cli(url, storage, "run", "--month", "2024-03", "--inbox", str(settings.SAMPLE_INBOX))
    return {"url": url, "storage": storage, "first": first, "second": snapshot(url),
            "output": first_output, "second_output": second_output}


def test_march_2024_headline_counts_match_the_published_overview(demo_run):
    groups = {g: n for month, g, n in demo_run["first"]["groups"] if month == MARCH}
    assert groups == {"journalist_media_rights": 7, "access_dissemination": 13, "legal_claims": 6}
    categories = {c: n for month, _, c, n in demo_run["first"]["categories"] if month == MARCH}
    assert categories["obstruction_lawful_activity"] == 4
    assert categories["refusal_restriction_information"] == 9
    assert categories["civil_claims"] == 5
    assert categories["administrative_accusations"] == 1
    assert sum(n for c, n in categories.items() if c in {"civil_claims", "administrative_accusations"}) == 6


def test_the_command_prints_the_headline_and_the_draft_path(demo_run):
    output = demo_run["output"]
    assert "presswatch: 2024-03" in output
    for line in ("   7  Violations of the rights of journalists", "  13  Right to freely receive",
                 "   6  Pre-trial and judicial claims", "   9  Refusals"):
        assert line in output
    assert str(demo_run["storage"] / "reports" / "2024-03" / "monitoring-2024-03.en.md") in output


def test_the_draft_carries_the_numbers_and_the_sections(demo_run):
    draft = (demo_run["storage"] / "reports" / "2024-03" / "monitoring-2024-03.en.md").read_text()
    for number in ("**7**", "**13**", "**6**"):
        assert number in draft
    for heading in ("State policy and statements", "Legislation", "Obstruction of the lawful professional",
                    "Incidents by city", "internet-blocking registers", "Pre-trial and judicial claims",
                    "Year to date"):
        assert f"## {heading}" in draft or heading in draft


def test_every_sample_row_is_in_core_or_quarantine_or_replaced_by_a_correction(demo_run):
    with psycopg.connect(demo_run["url"]) as conn:
        (unaccounted,) = conn.execute(
            """SELECT count(*) FROM raw.row r JOIN raw.file f USING (file_id)
               WHERE f.status = 'loaded'
                 AND NOT EXISTS (SELECT 1 FROM core.report c WHERE (c.file_id, c.sheet, c.row_number) = (r.file_id, r.sheet, r.row_number))
                 AND NOT EXISTS (SELECT 1 FROM quarantine.row q WHERE (q.file_id, q.sheet, q.row_number) = (r.file_id, r.sheet, r.row_number))
                 AND NOT EXISTS (SELECT 1 FROM raw.row_replacement h WHERE (h.file_id, h.sheet, h.row_number) = (r.file_id, r.sheet, r.row_number))"""
        ).fetchone()
        (quarantined,) = conn.execute("SELECT count(*) FROM quarantine.row").fetchone()
        files = conn.execute("SELECT inbox_path FROM quarantine.file").fetchall()
    assert unaccounted == 0
    assert quarantined >= 6
    assert files == [("2024-03/broken.xlsx",)]


def test_the_same_month_run_twice_leaves_core_and_marts_identical(demo_run):
    assert demo_run["second"] == demo_run["first"]


def test_an_inbox_the_tests_never_saw(database_factory, tmp_path):
    """Other layouts, other files, its own bad rows: the counts come out right and the bad rows are named."""
    inbox = tmp_path / "inbox"
    folder = inbox / "correspondents" / "2024-05"
    write_xlsx(folder / "north.xlsx", [
        report(event_date=dt.date(2024, 5, 3), region="СКО", locality="Петропавловск", category="detentions"),
        report(event_date="7 мая 2024", region="Павлодарская обл.", locality="Экибастуз"),
        report(event_date=dt.date(2024, 5, 9), region="Абайская область", locality="Семей",
               category="civil_claims", case_ref="2-900/2024", case_stage="новый иск", amount="10 млн"),
        report(event_date=dt.date(2024, 5, 10), region="Мордор"),
    ], title_rows=["Отчёт корреспондента за май", ""])
    write_csv(folder / "south.csv", [
        report(event_date=dt.date(2024, 5, 14), region="Turkistan Region", locality="Kentau", category="threats"),
        report(event_date=dt.date(2024, 4, 30), region="Shymkent", locality=None),
        report(event_date="31.05.2024", region="Jambyl", locality="Taraz", category="legislation"),
        report(event_date="2024-05-20", region="Almaty", locality=None, category="civil_claims", case_ref=None),
    ], headers=EN_HEADERS, encoding="cp1251", delimiter=",")
    url = database_factory("presswatch_e2e_unseen")
    run_cli(url, tmp_path / "storage", "run", "--month", "2024-05", "--inbox", str(inbox))
    with psycopg.connect(url) as conn:
        groups = dict(conn.execute(
            "SELECT group_code, reports FROM mart.monthly_group_counts WHERE month = '2024-05-01'").fetchall())
        quarantined = conn.execute("SELECT inbox_path, row_number, message FROM quarantine.row ORDER BY 1, 2").fetchall()
    assert groups == {"journalist_media_rights": 2, "access_dissemination": 1, "legal_claims": 1}
    assert [(p, n) for p, n, _ in quarantined] == [("2024-05/north.xlsx", 7), ("2024-05/south.csv", 5)]
    assert "column Регион: 'Мордор' is not a region" in quarantined[0][2]
    assert "column Case reference: a legal claim needs a case reference" in quarantined[1][2]

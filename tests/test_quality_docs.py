"""The month's data-quality results are published as GX Data Docs under <storage>/quality/YYYY-MM/."""

import datetime as dt
import json

from include.presswatch.intake import ingest_inbox
from include.presswatch.quality.data_docs import publish_month_quality, sqlalchemy_url
from tests.workbooks import report, write_csv

MARCH = dt.date(2024, 3, 1)
TODAY = dt.date(2024, 4, 10)


def test_sqlalchemy_url_keeps_a_socket_directory_in_the_query():
    url = sqlalchemy_url("user=postgres dbname=presswatch host='/tmp/pg sock' port=5433")
    assert url == "postgresql+psycopg://postgres@/presswatch?host=%2Ftmp%2Fpg+sock&port=5433"
    assert sqlalchemy_url("postgresql://u:p%40ss@db:5432/wh") == "postgresql+psycopg://u:p%40ss@db:5432/wh"


def test_month_quality_is_published_as_data_docs_and_reports_a_broken_rule(conn, warehouse_url, inbox, tmp_path):
    write_csv(inbox / "correspondents" / "a.csv", [
        report(),
        report(summary="Журналисту отказали в аккредитации", event_date=dt.date(2024, 3, 28)),
        report(category="civil_claims", case_ref="2-9/2024", case_stage="new claim", plaintiff="ТОО Гамма"),
        report(event_date=dt.date(2024, 2, 20), summary="Февральский отказ"),
    ])
    ingest_inbox(conn, inbox, TODAY)
    conn.commit()
    assert conn.execute("SELECT count(*) FROM core.report WHERE event_month = %s", (MARCH,)).fetchone()[0] == 3

    storage = tmp_path / "storage"
    summary = publish_month_quality(warehouse_url, MARCH, storage)
    site = storage / "quality" / "2024-03"
    assert (site / "index.html").is_file()
    written = json.loads((site / "summary.json").read_text())
    assert written["month"] == "2024-03" and written["reports"] == 3
    assert written["expectations"] == written["successes"] > 0
    assert written["failures"] == 0 and written["failing"] == [] and written["success"] is True
    assert summary["index"] == str(site / "index.html")
    assert any(site.glob("validations/**/*.html")), "the validation results are rendered"

    # An accepted row turned into a legal claim without a case reference breaks the legal-claims rule.
    conn.execute(
        "UPDATE core.report SET category_code = 'civil_claims', case_ref = NULL WHERE summary = %s",
        ("Журналисту отказали в аккредитации",),
    )
    conn.commit()
    summary = publish_month_quality(warehouse_url, "2024-03", storage)
    written = json.loads((site / "summary.json").read_text())
    assert written == {**summary, "index": "index.html"}
    assert written["success"] is False and written["failures"] == 1
    assert written["successes"] == written["expectations"] - 1
    [failing] = written["failing"]
    assert failing["column"] == "case_ref" and failing["expectation"] == "expect_column_values_to_not_be_null"
    assert failing["unexpected_count"] == 1
    assert (site / "index.html").is_file()
    assert not list((storage / "quality").glob(".*")), "no half-swapped folders are left behind"

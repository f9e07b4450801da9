"""Counting rules and atomic publication of a month, on a real warehouse."""

import datetime as dt

import pytest

from include.presswatch import monthly
from include.presswatch.intake import ingest_inbox
from include.presswatch.reports import storage as draft_storage
from include.presswatch.warehouse.marts import MartCheckFailed
from tests.workbooks import report, write_csv

MARCH = dt.date(2024, 3, 1)
TODAY = dt.date(2024, 4, 10)


def group_counts(conn, month=MARCH):
    return dict(conn.execute(
        "SELECT group_code, reports FROM mart.monthly_group_counts WHERE month = %s", (month,)
    ).fetchall())


def category_counts(conn, month=MARCH):
    return dict(conn.execute(
        "SELECT category_code, reports FROM mart.monthly_category_counts WHERE month = %s", (month,)
    ).fetchall())


def load(conn, inbox, name, rows):
    write_csv(inbox / "correspondents" / name, rows)
    ingest_inbox(conn, inbox, TODAY)


def test_context_is_narrated_never_counted(conn, inbox, tmp_path):
    load(conn, inbox, "a.csv", [report(), report(category="official_statement", summary="Заявление министра")])
    monthly.run_month(conn, MARCH, "run-1", tmp_path)
    assert group_counts(conn) == {"journalist_media_rights": 0, "access_dissemination": 1, "legal_claims": 0}
    draft = (draft_storage.month_dir(tmp_path, MARCH) / "monitoring-2024-03.en.md").read_text()
    assert "Заявление министра" in draft


def test_ongoing_case_is_not_counted_again(conn, inbox, tmp_path):
    claim = dict(category="civil_claims", case_ref="2-7/2024", plaintiff="ТОО Бета", amount="2 000 000")
    load(conn, inbox, "a.csv", [
        report(event_date=dt.date(2024, 2, 5), case_stage="новый иск", **claim),
        report(event_date=dt.date(2024, 3, 5), case_stage="судебное заседание", summary="Первое заседание", **claim),
    ])
    monthly.run_month(conn, dt.date(2024, 2, 1), "run-feb", tmp_path)
    monthly.run_month(conn, MARCH, "run-mar", tmp_path)
    assert group_counts(conn, dt.date(2024, 2, 1))["legal_claims"] == 1
    assert group_counts(conn, MARCH)["legal_claims"] == 0
    draft = (draft_storage.month_dir(tmp_path, MARCH) / "monitoring-2024-03.en.md").read_text()
    assert "Первое заседание" in draft, "the update is narrated as an ongoing case"


def test_a_new_claim_first_reported_in_the_month_counts_once(conn, inbox, tmp_path):
    load(conn, inbox, "a.csv", [
        report(category="civil_claims", case_ref="2-8/2024", case_stage="new claim"),
        report(category="civil_claims", case_ref="2-8/2024", case_stage="hearing", event_date=dt.date(2024, 3, 20),
               summary="Заседание отложено"),
    ])
    monthly.run_month(conn, MARCH, "run-1", tmp_path)
    assert category_counts(conn) == {"civil_claims": 1}


def test_same_report_submitted_twice_counts_once(conn, inbox, tmp_path):
    write_csv(inbox / "correspondents" / "a.csv", [report()])
    write_csv(inbox / "correspondents" / "b.csv", [report(), report(summary="Другой отказ")])
    ingest_inbox(conn, inbox, TODAY)
    monthly.run_month(conn, MARCH, "run-1", tmp_path)
    assert group_counts(conn)["access_dissemination"] == 2


def test_a_report_counts_in_its_event_month(conn, inbox, tmp_path):
    load(conn, inbox, "march-file.csv", [report(event_date=dt.date(2024, 2, 27)), report()])
    monthly.run_month(conn, MARCH, "run-1", tmp_path)
    monthly.run_month(conn, dt.date(2024, 2, 1), "run-2", tmp_path)
    assert group_counts(conn, MARCH)["access_dissemination"] == 1
    assert group_counts(conn, dt.date(2024, 2, 1))["access_dissemination"] == 1


def test_running_a_month_twice_gives_the_same_marts(conn, inbox, tmp_path):
    load(conn, inbox, "a.csv", [report(), report(category="threats", region="Астана", locality=None)])
    monthly.run_month(conn, MARCH, "run-1", tmp_path)
    first = (group_counts(conn), category_counts(conn),
             conn.execute("SELECT * FROM mart.monthly_region_counts ORDER BY 1, 2, 3").fetchall())
    monthly.run_month(conn, MARCH, "run-2", tmp_path)
    second = (group_counts(conn), category_counts(conn),
              conn.execute("SELECT * FROM mart.monthly_region_counts ORDER BY 1, 2, 3").fetchall())
    assert first == second
    assert conn.execute("SELECT count(*) FROM mart_stage.monthly_group_counts").fetchone() == (0,)


def publish_march_then_receive_a_late_report(conn, inbox, tmp_path):
    """March published with one report, then a second one loaded: the state a failing rerun must keep."""
    load(conn, inbox, "a.csv", [report()])
    monthly.run_month(conn, MARCH, "run-1", tmp_path)
    draft = draft_storage.month_dir(tmp_path, MARCH) / "monitoring-2024-03.en.md"
    published = draft.read_text()
    load(conn, inbox, "b.csv", [report(summary="Ещё один отказ")])
    return draft, published


def test_a_failed_check_publishes_nothing(conn, inbox, tmp_path):
    draft, published_draft = publish_march_then_receive_a_late_report(conn, inbox, tmp_path)

    monthly.stage(conn, MARCH, "run-2")
    conn.execute("UPDATE mart_stage.monthly_group_counts SET reports = reports + 5 WHERE run_id = 'run-2'")
    with pytest.raises(MartCheckFailed, match="categories add up to"):
        monthly.check(conn, "run-2")
    assert group_counts(conn)["access_dissemination"] == 1
    assert draft.read_text() == published_draft


def test_a_failed_publication_leaves_the_previous_marts_and_draft(conn, inbox, tmp_path):
    draft, published_draft = publish_march_then_receive_a_late_report(conn, inbox, tmp_path)

    monthly.stage(conn, MARCH, "run-2")
    monthly.check(conn, "run-2")
    staged = monthly.render_drafts(conn, MARCH, "run-2", tmp_path)
    # The staged draft disappears between rendering and publication: moving it into place fails
    # after the published draft was already set aside, and after the marts were replaced.
    staged_text = staged[0].read_text()
    staged[0].unlink()
    with pytest.raises(FileNotFoundError):
        monthly.publish(conn, MARCH, "run-2", tmp_path, staged)
    assert group_counts(conn)["access_dissemination"] == 1
    assert conn.execute("SELECT run_id FROM mart.publication").fetchone() == ("run-1",)
    assert draft.read_text() == published_draft

    staged[0].write_text(staged_text)
    monthly.publish(conn, MARCH, "run-2", tmp_path, staged)
    assert group_counts(conn)["access_dissemination"] == 2
    assert "Ещё один отказ" in draft.read_text()

"""A copy skipped as identical to a file that another mapped task of the same DAG run replaces is loaded by that
run's recheck, so the next identical run changes nothing.

The DAG's tasks are played here as Airflow runs them, without a scheduler: one ingest_file per file, each on a
connection and in a transaction of its own, all with the run's submitted_at, in the order where the copy is
checked before its twin's new version is loaded; then the recheck, then the summary.
"""

import dataclasses
import datetime as dt
import shutil

import psycopg
import pytest

from include.presswatch import settings
from include.presswatch.intake import ingest_file, summarize_outcomes
from include.presswatch.intake_recheck import final_outcomes, recheck_identical_copies
from tests.test_intake_resubmission import snapshot
from tests.workbooks import RU_HEADERS, report, write_xlsx

TODAY = dt.date(2024, 4, 10)
HEADERS = {**RU_HEADERS, "report_id": "№ сообщения", "duplicate_of": "Дубликат"}
START = dt.datetime(2024, 4, 10, 9, 0, tzinfo=dt.timezone.utc)
DAG_FILE = settings.PROJECT_ROOT / "dags" / "correspondent_reports.py"


def put(inbox, path, rows):
    write_xlsx(inbox / "correspondents" / path, rows, headers=HEADERS)


def dag_run(url, inbox, storage, paths, hours):
    """One run of the DAG: a mapped ingest task per path in the order given, then the recheck, then the summary.
    Returns the mapped tasks' outcomes, the final ones and the summary."""
    submitted_at = START + dt.timedelta(hours=hours)
    outcomes = []
    for path in paths:
        with psycopg.connect(url) as task_conn:  # commits when the task ends, as connect() does
            outcome = ingest_file(task_conn, inbox, path, TODAY, storage=storage, submitted_at=submitted_at)
        outcomes.append(dataclasses.asdict(outcome))
    with psycopg.connect(url) as task_conn:
        rechecked = recheck_identical_copies(task_conn, inbox, outcomes, TODAY, storage=storage,
                                             submitted_at=submitted_at)
    final = final_outcomes(outcomes, [dataclasses.asdict(o) for o in rechecked])
    return by_path(outcomes), by_path(final), summarize_outcomes(final)


def by_path(outcomes):
    return {o["inbox_path"]: o for o in outcomes}


def reports_by_file(conn):
    return sorted(conn.execute(
        "SELECT f.inbox_path, r.external_id, r.summary FROM core.report r JOIN raw.file f USING (file_id)"
    ).fetchall())


@pytest.fixture
def copy_then_replacement(conn, inbox, warehouse_url, tmp_path):
    """b.xlsx loaded by an earlier run; now a.xlsx is a copy of it and b.xlsx has new bytes."""
    storage = tmp_path / "storage"
    put(inbox, "2024-03/b.xlsx", [report(report_id="X", summary="Первое")])
    dag_run(warehouse_url, inbox, storage, ["2024-03/b.xlsx"], hours=1)
    folder = inbox / "correspondents" / "2024-03"
    shutil.copy(folder / "b.xlsx", folder / "a.xlsx")
    put(inbox, "2024-03/b.xlsx", [report(report_id="Y", summary="Второе")])
    return storage


def test_a_copy_whose_twin_another_task_replaces_is_loaded_by_the_same_run(conn, inbox, warehouse_url,
                                                                           copy_then_replacement):
    storage = copy_then_replacement
    # a.xlsx's task checks it while b.xlsx still holds the same bytes; b.xlsx's task loads the new version after.
    mapped, final, summary = dag_run(warehouse_url, inbox, storage, ["2024-03/a.xlsx", "2024-03/b.xlsx"], hours=2)

    assert mapped["2024-03/a.xlsx"]["identical_to"] == "2024-03/b.xlsx", "the copy's own task skipped it"
    assert reports_by_file(conn) == [("2024-03/a.xlsx", "X", "Первое"), ("2024-03/b.xlsx", "Y", "Второе")]
    assert final["2024-03/a.xlsx"]["status"] == "loaded", "the summary shows the recheck's outcome"
    assert (summary["files_loaded"], summary["files_unchanged"], summary["rows_loaded"]) == (2, 0, 2)

    before = snapshot(conn)
    _, outcomes, _ = dag_run(warehouse_url, inbox, storage, ["2024-03/a.xlsx", "2024-03/b.xlsx"], hours=3)
    assert {o["status"] for o in outcomes.values()} == {"unchanged"}
    assert snapshot(conn) == before, "an identical run changes nothing"


def test_two_copies_of_the_replaced_file_give_its_rows_once_and_stay_put(conn, inbox, warehouse_url,
                                                                        copy_then_replacement):
    storage = copy_then_replacement
    folder = inbox / "correspondents" / "2024-03"
    shutil.copy(folder / "a.xlsx", folder / "a2.xlsx")
    paths = ["2024-03/a.xlsx", "2024-03/a2.xlsx", "2024-03/b.xlsx"]

    _, outcomes, _ = dag_run(warehouse_url, inbox, storage, paths, hours=2)

    assert reports_by_file(conn) == [("2024-03/a.xlsx", "X", "Первое"), ("2024-03/b.xlsx", "Y", "Второе")]
    assert outcomes["2024-03/a2.xlsx"]["identical_to"] == "2024-03/a.xlsx"
    before = snapshot(conn)
    dag_run(warehouse_url, inbox, storage, paths, hours=3)
    assert snapshot(conn) == before


def test_a_copy_of_a_file_nobody_replaced_stays_skipped(conn, inbox, warehouse_url, tmp_path):
    storage = tmp_path / "storage"
    put(inbox, "2024-03/b.xlsx", [report(report_id="X")])
    dag_run(warehouse_url, inbox, storage, ["2024-03/b.xlsx"], hours=1)
    folder = inbox / "correspondents" / "2024-03"
    shutil.copy(folder / "b.xlsx", folder / "a.xlsx")
    before = snapshot(conn)

    _, outcomes, summary = dag_run(warehouse_url, inbox, storage, ["2024-03/a.xlsx", "2024-03/b.xlsx"], hours=2)

    assert outcomes["2024-03/a.xlsx"]["identical_to"] == "2024-03/b.xlsx", "rechecked and skipped again"
    assert summary["files_unchanged"] == 2
    assert snapshot(conn) == before


def test_the_recheck_runs_after_every_ingest_task_and_before_the_summary():
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(DAG_FILE))
    assert bag.import_errors == {}
    dag = bag.dags["correspondent_reports"]
    recheck = dag.get_task("recheck_identical_copies")
    assert recheck.upstream_task_ids == {"ingest"}
    assert recheck.trigger_rule == "all_done", "a copy is rechecked even when another file's task failed"
    assert dag.get_task("refresh_cases_and_report").upstream_task_ids == {"ingest", "recheck_identical_copies"}

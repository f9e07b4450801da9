"""A copy skipped as identical to a file that another mapped task of the same DAG run replaces is loaded by that
run's recheck, so the next identical run changes nothing; and a task Airflow retries after its first try committed
reports what the run did to its files (loaded), not that they were unchanged.

The DAG's tasks are played here as Airflow runs them, without a scheduler: one ingest_file_in_run per file, each on a
connection and in a transaction of its own, all with the run's submitted_at, in the order where the copy is
checked before its twin's new version is loaded; then the recheck, then the summary. A retry is the same call
again, on a new connection, with the same submitted_at (the DAG run's start does not move when a task retries).
"""

import dataclasses
import datetime as dt
import shutil

import psycopg
import pytest

from include.presswatch import settings
from include.presswatch.intake import summarize_outcomes
from include.presswatch.intake_recheck import (final_outcomes, ingest_file_in_run, outcomes_without_recheck,
                                               recheck_identical_copies)
from tests.bad_inputs import refuse_in_the_warehouse
from tests.test_intake_resubmission import snapshot
from tests.workbooks import RU_HEADERS, report, write_xlsx

TODAY = dt.date(2024, 4, 10)
HEADERS = {**RU_HEADERS, "report_id": "№ сообщения", "duplicate_of": "Дубликат"}
START = dt.datetime(2024, 4, 10, 9, 0, tzinfo=dt.timezone.utc)
DAG_FILE = settings.PROJECT_ROOT / "dags" / "correspondent_reports.py"


def put(inbox, path, rows):
    write_xlsx(inbox / "correspondents" / path, rows, headers=HEADERS)


def ingest_tasks(url, inbox, storage, paths, submitted_at):
    """The mapped ingest tasks of a run, one after the other; their outcomes as they travel between tasks."""
    outcomes = []
    for path in paths:
        with psycopg.connect(url) as task_conn:  # commits when the task ends, as connect() does
            outcome = ingest_file_in_run(task_conn, inbox, path, TODAY, storage=storage, submitted_at=submitted_at)
        outcomes.append(dataclasses.asdict(outcome))
    return outcomes


def recheck_task(url, inbox, storage, outcomes, submitted_at, refuse=None):
    """One try of the recheck task. With ``refuse``, the warehouse refuses the files whose path contains it: the
    task commits the other copies, then fails (as the DAG's task raises after its connection committed)."""
    with psycopg.connect(url) as task_conn:
        if refuse:
            refuse_in_the_warehouse(task_conn, refuse)
        rechecked = recheck_identical_copies(task_conn, inbox, outcomes, TODAY, storage=storage,
                                             submitted_at=submitted_at)
        if refuse:
            task_conn.execute("DROP TRIGGER refuse_one_file ON raw.row")
    return {o.inbox_path: o for o in rechecked}


def dag_run(url, inbox, storage, paths, hours):
    """One run of the DAG: a mapped ingest task per path in the order given, then the recheck, then the summary.
    Returns the mapped tasks' outcomes, the final ones and the summary."""
    submitted_at = START + dt.timedelta(hours=hours)
    outcomes = ingest_tasks(url, inbox, storage, paths, submitted_at)
    rechecked = recheck_task(url, inbox, storage, outcomes, submitted_at)
    final = final_outcomes(outcomes, [dataclasses.asdict(o) for o in rechecked.values()])
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

    retried = recheck_task(warehouse_url, inbox, storage, list(outcomes.values()), START + dt.timedelta(hours=2))
    assert retried["2024-03/a.xlsx"].identical_to == "2024-03/b.xlsx", "a retry of the recheck skips it again"
    assert snapshot(conn) == before


def test_a_retried_recheck_reports_the_copies_its_failed_try_loaded_as_loaded(conn, inbox, warehouse_url, tmp_path):
    storage = tmp_path / "storage"
    folder = inbox / "correspondents" / "2024-03"
    put(inbox, "2024-03/b.xlsx", [report(report_id="X", summary="Первое")])
    put(inbox, "2024-03/d.xlsx", [report(report_id="Z", summary="Третье")])
    dag_run(warehouse_url, inbox, storage, ["2024-03/b.xlsx", "2024-03/d.xlsx"], hours=1)
    shutil.copy(folder / "b.xlsx", folder / "a.xlsx")
    shutil.copy(folder / "d.xlsx", folder / "c_refused.xlsx")
    put(inbox, "2024-03/b.xlsx", [report(report_id="Y", summary="Второе")])
    put(inbox, "2024-03/d.xlsx", [report(report_id="W", summary="Четвёртое")])
    submitted_at = START + dt.timedelta(hours=2)
    paths = ["2024-03/a.xlsx", "2024-03/c_refused.xlsx", "2024-03/b.xlsx", "2024-03/d.xlsx"]
    outcomes = ingest_tasks(warehouse_url, inbox, storage, paths, submitted_at)
    assert [o["identical_to"] for o in outcomes[:2]] == ["2024-03/b.xlsx", "2024-03/d.xlsx"]

    first_try = recheck_task(warehouse_url, inbox, storage, outcomes, submitted_at, refuse="refused")
    assert {p: o.status for p, o in first_try.items()} == {"2024-03/a.xlsx": "loaded",
                                                          "2024-03/c_refused.xlsx": "failed"}
    retry = recheck_task(warehouse_url, inbox, storage, outcomes, submitted_at)

    assert dataclasses.asdict(retry["2024-03/a.xlsx"]) == dataclasses.asdict(first_try["2024-03/a.xlsx"]), \
        "the copy the failed try committed is reported as that try loaded it"
    assert (retry["2024-03/c_refused.xlsx"].status, retry["2024-03/c_refused.xlsx"].rows_loaded) == ("loaded", 1)
    final = final_outcomes(outcomes, [dataclasses.asdict(o) for o in retry.values()])
    summary = summarize_outcomes(final)
    assert (summary["files_loaded"], summary["files_unchanged"], summary["rows_loaded"]) == (4, 0, 4)
    assert reports_by_file(conn) == [("2024-03/a.xlsx", "X", "Первое"), ("2024-03/b.xlsx", "Y", "Второе"),
                                     ("2024-03/c_refused.xlsx", "Z", "Третье"), ("2024-03/d.xlsx", "W", "Четвёртое")]

    _, outcomes, summary = dag_run(warehouse_url, inbox, storage, paths, hours=3)
    assert summary["files_unchanged"] == 4, "the next run did nothing to them: unchanged"


def test_when_every_try_of_the_recheck_fails_the_summary_says_what_it_did(conn, inbox, warehouse_url, tmp_path):
    storage = tmp_path / "storage"
    folder = inbox / "correspondents" / "2024-03"
    put(inbox, "2024-03/b.xlsx", [report(report_id="X", summary="Первое")])
    put(inbox, "2024-03/d.xlsx", [report(report_id="Z", summary="Третье")])
    put(inbox, "2024-03/f.xlsx", [report(report_id="V", summary="Пятое")])
    dag_run(warehouse_url, inbox, storage, ["2024-03/b.xlsx", "2024-03/d.xlsx", "2024-03/f.xlsx"], hours=1)
    # a and c are copies of files this run replaces; e is a copy of f, which nobody touches.
    for original, copy in [("b", "a"), ("d", "c_refused"), ("f", "e")]:
        shutil.copy(folder / f"{original}.xlsx", folder / f"{copy}.xlsx")
    put(inbox, "2024-03/b.xlsx", [report(report_id="Y", summary="Второе")])
    put(inbox, "2024-03/d.xlsx", [report(report_id="W", summary="Четвёртое")])
    submitted_at = START + dt.timedelta(hours=2)
    paths = ["2024-03/a.xlsx", "2024-03/c_refused.xlsx", "2024-03/e.xlsx", "2024-03/b.xlsx", "2024-03/d.xlsx",
             "2024-03/f.xlsx"]
    outcomes = ingest_tasks(warehouse_url, inbox, storage, paths, submitted_at)
    for _ in range(2):  # the first try loads a.xlsx before it fails; the retry fails again
        recheck_task(warehouse_url, inbox, storage, outcomes, submitted_at, refuse="refused")
    assert {o["status"] for o in final_outcomes(outcomes, None)[:3]} == {"unchanged"}, \
        "the mapped tasks' outcomes alone call every copy unchanged"

    final = by_path(outcomes_without_recheck(conn, inbox, outcomes, submitted_at, TODAY, storage))

    assert (final["2024-03/a.xlsx"]["status"], final["2024-03/a.xlsx"]["rows_loaded"]) == ("loaded", 1)
    assert final["2024-03/a.xlsx"]["report_path"], "its intake report is written where the load wrote it"
    assert final["2024-03/c_refused.xlsx"]["status"] == "failed"
    assert "identical to 2024-03/d.xlsx" in final["2024-03/c_refused.xlsx"]["reason"]
    assert (final["2024-03/e.xlsx"]["status"], final["2024-03/e.xlsx"]["identical_to"]) == ("unchanged",
                                                                                           "2024-03/f.xlsx")
    assert [final[p] for p in paths[3:]] == outcomes[3:], "the other files' outcomes stand"
    summary = summarize_outcomes(list(final.values()))
    assert (summary["files_loaded"], summary["files_failed"], summary["files_unchanged"]) == (3, 1, 2)
    assert reports_by_file(conn) == [("2024-03/a.xlsx", "X", "Первое"), ("2024-03/b.xlsx", "Y", "Второе"),
                                     ("2024-03/d.xlsx", "W", "Четвёртое"), ("2024-03/f.xlsx", "V", "Пятое")]


def test_a_retried_ingest_task_reports_the_file_its_first_try_committed(conn, inbox, warehouse_url, tmp_path):
    storage = tmp_path / "storage"
    folder = inbox / "correspondents" / "2024-03"
    put(inbox, "2024-03/a.xlsx", [report(report_id="K-1", summary="Первое")])
    dag_run(warehouse_url, inbox, storage, ["2024-03/a.xlsx"], hours=1)
    # b.xlsx corrects K-1 (a row of a.xlsx is replaced) and has a row to quarantine; c.xlsx cannot be read.
    put(inbox, "2024-03/b.xlsx", [report(report_id="K-1", summary="Исправлено"), report(report_id="K-2",
                                                                                      region="Нарния")])
    (folder / "c.xlsx").write_bytes(b"this is not a workbook at all")
    submitted_at = START + dt.timedelta(hours=2)

    def ingest_task(path):
        with psycopg.connect(warehouse_url) as task_conn:
            return ingest_file_in_run(task_conn, inbox, path, TODAY, storage=storage, submitted_at=submitted_at)

    # Each first try commits its file, then its task dies before Airflow has its outcome (a lost worker, a
    # failed XCom push): Airflow runs it again.
    first = {path: ingest_task(path) for path in ["2024-03/b.xlsx", "2024-03/c.xlsx"]}
    retry = {path: ingest_task(path) for path in ["2024-03/b.xlsx", "2024-03/c.xlsx"]}

    assert (first["2024-03/b.xlsx"].status, first["2024-03/b.xlsx"].rows_replaced) == ("loaded", 1)
    assert first["2024-03/c.xlsx"].status == "quarantined"
    for path in first:
        assert dataclasses.asdict(retry[path]) == dataclasses.asdict(first[path]), path
    summary = summarize_outcomes([dataclasses.asdict(o) for o in retry.values()])
    assert (summary["files_loaded"], summary["files_quarantined"], summary["files_unchanged"]) == (1, 1, 0)
    assert (summary["rows_loaded"], summary["rows_quarantined"], summary["rows_replaced"]) == (1, 1, 1)

    later = START + dt.timedelta(hours=3)
    with psycopg.connect(warehouse_url) as task_conn:
        again = ingest_file_in_run(task_conn, inbox, "2024-03/b.xlsx", TODAY, storage=storage, submitted_at=later)
    assert again.status == "unchanged", "a later run did nothing to it"


def test_the_recheck_runs_after_every_ingest_task_and_before_the_summary():
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(DAG_FILE))
    assert bag.import_errors == {}
    dag = bag.dags["correspondent_reports"]
    recheck = dag.get_task("recheck_identical_copies")
    assert recheck.upstream_task_ids == {"ingest"}
    assert recheck.trigger_rule == "all_done", "a copy is rechecked even when another file's task failed"
    assert dag.get_task("refresh_cases_and_report").upstream_task_ids == {"ingest", "recheck_identical_copies"}

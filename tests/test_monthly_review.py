"""Review in the UI: the monthly_review DAG waits for an editor's approval (Airflow's human-in-the-loop
ApprovalOperator) and only then marks the version it showed final; nothing else ever waits for it."""

from __future__ import annotations

import datetime as dt
import json

import psycopg
import pytest

from include.presswatch import airflow_env, monthly, settings
from include.presswatch.intake import ingest_inbox
from include.presswatch.reports import storage as draft_storage
from include.presswatch.reports import versions
from tests.workbooks import report, write_csv

MARCH = dt.date(2024, 3, 1)
DAG_FILE = settings.PROJECT_ROOT / "dags" / "monthly_review.py"


def approval(option="Approve", comment="ready to publish"):
    """A response as the Required actions page records it."""
    return {"chosen_options": [option], "params_input": {"comment": comment},
            "responded_at": dt.datetime(2024, 4, 11, 9, 30, tzinfo=dt.timezone.utc),
            "responded_by_user": {"id": "2", "name": "editor"}}


@pytest.fixture
def published(conn, inbox, warehouse_url, tmp_path):
    write_csv(inbox / "correspondents" / "2024-03" / "a.csv", [report()])
    ingest_inbox(conn, inbox, dt.date(2024, 4, 10))
    conn.commit()
    with psycopg.connect(warehouse_url) as run_conn:
        monthly.run_month(run_conn, MARCH, "run-1", tmp_path / "storage")
    return tmp_path / "storage"


@pytest.fixture(scope="module")
def review_dag():
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(DAG_FILE))
    assert bag.import_errors == {}
    return bag.get_dag("monthly_review")


def test_the_review_waits_for_an_editor_in_a_dag_of_its_own_that_nothing_schedules(review_dag):
    from airflow.providers.standard.operators.hitl import ApprovalOperator

    assert type(review_dag.timetable).__name__ == "NullTimetable", "triggered by hand, never scheduled"
    approval_task = review_dag.get_task("editor_approval")
    assert isinstance(approval_task, ApprovalOperator)
    assert approval_task.response_timeout is not None, "an unanswered review ends instead of waiting forever"
    assert review_dag.get_task("mark_final").upstream_task_ids >= {"editor_approval", "describe_drafts"}
    assert {"month", "storage"} <= set(review_dag.params)
    # make demo / make run / backfill run only the contract DAGs through dag.test
    cli = (settings.PROJECT_ROOT / "include" / "presswatch" / "cli.py").read_text(encoding="utf-8")
    assert "monthly_review" not in cli


def test_an_approval_marks_the_version_shown_final(published):
    month_dir = draft_storage.month_dir(published, MARCH)
    request = versions.review_request(month_dir)
    assert (request["month"], request["version"], request["status"]) == ("2024-03", 1, "draft")
    assert "monitoring-2024-03.ru.docx" in request["body"]

    with pytest.raises(ValueError, match="not an approval"):
        versions.approve_from_response(month_dir, 1, approval("Reject"))
    assert versions.read_manifest(month_dir)["status"] == "draft"

    manifest = versions.approve_from_response(month_dir, request["version"], approval())
    assert manifest["status"] == "final"
    assert manifest["approval"] == {"by": "editor", "at": "2024-04-11T09:30:00+00:00", "comment": "ready to publish"}
    kept = json.loads((versions.version_dir(month_dir, 1) / "manifest.json").read_text(encoding="utf-8"))
    assert kept["status"] == "final"
    with pytest.raises(ValueError, match="not the latest"):
        versions.approve_from_response(month_dir, 2, approval())


def test_nothing_published_yet_is_said_plainly(tmp_path):
    with pytest.raises(FileNotFoundError, match="run monthly_summary"):
        versions.review_request(draft_storage.month_dir(tmp_path, MARCH))


def test_the_dag_marks_the_drafts_final_once_the_editor_approves(review_dag, published, monkeypatch):
    """dag.test with the editor's answer supplied: the operator resumes as it does after the UI's response."""
    from airflow.providers.standard.operators.hitl import ApprovalOperator

    def answered(self, context):
        return self.execute_complete(context, event=approval())

    monkeypatch.setattr(ApprovalOperator, "execute", answered)
    monkeypatch.setenv("PRESSWATCH_TASK_RETRIES", "0")
    airflow_env.migrate_metadata_db()
    run = review_dag.test(run_conf={"month": "2024-03", "storage": str(published)})

    assert "success" in str(run.state)
    manifest = versions.read_manifest(draft_storage.month_dir(published, MARCH))
    assert manifest["status"] == "final" and manifest["approval"]["by"] == "editor"

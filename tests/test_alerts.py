"""Failure alerts: a task that fails for good leaves a row in ops.alert, and a mail when SMTP is set up."""

from __future__ import annotations

import json
import socketserver
import threading

import psycopg
import pytest

from include.presswatch import airflow_env, settings
from include.presswatch.ops.alerts import FailureAlert


class _SmtpHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP to accept one plain-text message (no TLS, no auth)."""

    def reply(self, line: str) -> None:
        self.wfile.write((line + "\r\n").encode())

    def handle(self):
        self.reply("220 test SMTP")
        message = {"rcpt": [], "data": ""}
        while line := self.rfile.readline().decode(errors="replace"):
            verb = line[:4].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250 test")
            elif verb == "MAIL":
                self.reply("250 ok")
            elif verb == "RCPT":
                message["rcpt"].append(line.split(":", 1)[1].strip().strip("<>"))
                self.reply("250 ok")
            elif verb == "DATA":
                self.reply("354 go on")
                lines = []
                while (data := self.rfile.readline().decode(errors="replace")) not in (".\r\n", ""):
                    lines.append(data)
                message["data"] = "".join(lines)
                self.server.messages.append(message)
                message = {"rcpt": [], "data": ""}
                self.reply("250 queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 ok")


@pytest.fixture
def smtp_server():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SmtpHandler)
    server.daemon_threads = True
    server.messages = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def alerts(url: str) -> list[dict]:
    with psycopg.connect(url) as conn:
        cur = conn.execute("SELECT * FROM ops.alert ORDER BY alert_id")
        names = [c.name for c in cur.description]
        return [dict(zip(names, row)) for row in cur.fetchall()]


def test_failing_task_writes_an_alert_row_and_mails_it(conn, warehouse_url, smtp_server, tmp_path, monkeypatch):
    # The real DAG file and its default_args: storage is a file, so the drafts cannot be written.
    monkeypatch.setenv("WAREHOUSE_URL", warehouse_url)
    monkeypatch.setenv("PRESSWATCH_TASK_RETRIES", "0")
    monkeypatch.setenv("PRESSWATCH_ALERT_EMAIL", "data-team@example.org, oncall@example.org")
    monkeypatch.setenv("PRESSWATCH_SMTP_CONN_ID", "presswatch_test_smtp")
    monkeypatch.setenv("AIRFLOW_CONN_PRESSWATCH_TEST_SMTP", json.dumps({
        "conn_type": "email", "host": "127.0.0.1", "port": smtp_server.server_address[1],
        "extra": {"disable_ssl": True, "disable_tls": True, "from_email": "presswatch@example.org",
                  "retry_limit": 0, "timeout": 5},
    }))
    not_a_folder = tmp_path / "storage"
    not_a_folder.write_text("a file where the storage folder should be")
    airflow_env.migrate_metadata_db()
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(settings.PROJECT_ROOT / "dags" / "monthly_summary.py"))
    assert not bag.import_errors
    run = bag.get_dag("monthly_summary").test(run_conf={"month": "2024-03", "storage": str(not_a_folder)})

    assert "failed" in str(run.state)
    rows = alerts(warehouse_url)
    assert rows, "a task failed but no alert was recorded"
    for alert in rows:
        assert (alert["dag_id"], alert["run_id"], alert["kind"]) == ("monthly_summary", run.run_id, "task_failed")
        assert alert["error"] and alert["log_url"]
        assert alert["mailed_to"] == ["data-team@example.org", "oncall@example.org"]
        assert alert["mail_error"] is None
    assert len(smtp_server.messages) == len(rows)
    assert sorted(smtp_server.messages[0]["rcpt"]) == ["data-team@example.org", "oncall@example.org"]
    assert "monthly_summary." in smtp_server.messages[0]["data"]


def test_alert_is_recorded_when_mail_cannot_be_sent(conn, warehouse_url, monkeypatch):
    monkeypatch.setenv("AIRFLOW_CONN_PRESSWATCH_DEAD_SMTP", json.dumps({
        "conn_type": "email", "host": "127.0.0.1", "port": 9,  # discard port: nothing listens
        "extra": {"disable_ssl": True, "disable_tls": True, "from_email": "x@example.org", "retry_limit": 0, "timeout": 2},
    }))

    class TaskInstance:  # what the task runner passes as ``ti``, reduced to what the alert reads
        dag_id, task_id, run_id, map_index, try_number = "correspondent_reports", "ingest", "scheduled__2024-04-01", 3, 2
        log_url = "http://localhost:8080/dags/correspondent_reports/runs/scheduled__2024-04-01/tasks/ingest?map_index=3"

    notifier = FailureAlert(recipients=["data-team@example.org"], smtp_conn_id="presswatch_dead_smtp", warehouse_url=warehouse_url)
    notifier({"ti": TaskInstance(), "exception": RuntimeError("warehouse went away")})

    [alert] = alerts(warehouse_url)
    assert (alert["task_id"], alert["map_index"], alert["try_number"]) == ("ingest", 3, 2)
    assert alert["log_url"].endswith("map_index=3")
    assert alert["mailed_to"] == [] and "Connection refused" in alert["mail_error"]


def test_no_mail_without_recipients_and_no_exception_without_a_warehouse(monkeypatch, caplog):
    monkeypatch.delenv("PRESSWATCH_ALERT_EMAIL", raising=False)

    class TaskInstance:
        dag_id, task_id, run_id, map_index, try_number, log_url = "monthly_summary", "publish", "manual__1", None, 1, None

    # A warehouse that does not answer: the alert is still logged, and the callback does not raise.
    alert = FailureAlert(warehouse_url="postgresql://nobody@127.0.0.1:9/none").notify(
        {"ti": TaskInstance(), "exception": ValueError("boom")})
    assert alert.mailed_to == [] and alert.mail_error is None
    assert "monthly_summary.publish failed" in caplog.text
    assert "could not record the alert" in caplog.text


def test_dag_files_import_the_notifier_cheaply():
    # The DAG files import this module at parse time: it must not pull in the database driver or providers.
    import subprocess
    import sys

    code = ("import sys; from airflow.sdk import dag; before = set(sys.modules); "
            "import include.presswatch.ops.alerts; "
            "print(','.join(sorted(m for m in set(sys.modules) - before if m.startswith(('psycopg', 'airflow.providers', 'pandas')))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=settings.PROJECT_ROOT).stdout.strip()
    assert out == ""

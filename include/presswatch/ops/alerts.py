"""Failure alerts: a notifier for the DAGs' task-level ``on_failure_callback``.

Every alert is logged and written to ``ops.alert`` in the warehouse; it is also mailed when
``PRESSWATCH_ALERT_EMAIL`` (comma-separated recipients) is set, through the Airflow SMTP connection
``PRESSWATCH_SMTP_CONN_ID`` (default ``smtp_default``; e.g. ``AIRFLOW_CONN_SMTP_DEFAULT=smtp://user:pw@host:587``
with ``from_email`` in its extra). A failure to record or to mail is logged and never raised: the
task has already failed, and its state must not depend on the alert.

Imported by the DAG files at parse time: keep module level cheap (no psycopg, no providers).
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from typing import Any

from airflow.sdk import BaseNotifier

log = logging.getLogger(__name__)

_INSERT = """
INSERT INTO ops.alert (dag_id, task_id, map_index, run_id, try_number, logical_date, kind, error, log_url,
                       mailed_to, mail_error)
VALUES (%(dag_id)s, %(task_id)s, %(map_index)s, %(run_id)s, %(try_number)s, %(logical_date)s, %(kind)s,
        %(error)s, %(log_url)s, %(mailed_to)s, %(mail_error)s)
RETURNING alert_id
"""


@dataclass
class Alert:
    dag_id: str
    task_id: str
    run_id: str
    map_index: int = -1
    try_number: int | None = None
    logical_date: Any = None
    kind: str = "task_failed"
    error: str | None = None
    log_url: str | None = None
    mailed_to: list[str] = field(default_factory=list)
    mail_error: str | None = None

    @property
    def subject(self) -> str:
        mapped = f"[{self.map_index}]" if self.map_index >= 0 else ""
        return f"presswatch: {self.dag_id}.{self.task_id}{mapped} failed ({self.run_id})"

    def text(self) -> str:
        return "\n".join([
            self.subject,
            f"error: {self.error or 'unknown'}",
            f"try: {self.try_number}",
            f"log: {self.log_url or 'n/a'}",
        ])


def alert_from_context(context) -> Alert:
    """The facts of a failure from an Airflow task context."""
    ti = context.get("ti") or context.get("task_instance")
    dag_run = context.get("dag_run")
    error = context.get("exception")
    map_index = getattr(ti, "map_index", None)
    try:
        log_url = ti.log_url
    except Exception:  # building the URL needs configuration a bare context may lack
        log_url = None
    return Alert(
        dag_id=getattr(ti, "dag_id", None) or getattr(context.get("dag"), "dag_id", "unknown"),
        task_id=getattr(ti, "task_id", None) or "unknown",
        run_id=getattr(ti, "run_id", None) or getattr(dag_run, "run_id", None) or "unknown",
        map_index=map_index if map_index is not None else -1,
        try_number=getattr(ti, "try_number", None),
        logical_date=getattr(dag_run, "logical_date", None),
        error=f"{type(error).__name__}: {error}"[:4000] if isinstance(error, BaseException) else (str(error) if error else None),
        log_url=log_url,
    )


def recipients_from_env() -> list[str]:
    return [r.strip() for r in os.environ.get("PRESSWATCH_ALERT_EMAIL", "").split(",") if r.strip()]


def record(alert: Alert, url: str | None = None) -> int | None:
    """Write the alert to ops.alert; returns its id, or None (logged) when the warehouse cannot take it."""
    import psycopg

    from ..warehouse.connection import warehouse_url

    try:
        with psycopg.connect(url or warehouse_url(), connect_timeout=10) as conn:
            (alert_id,) = conn.execute(_INSERT, alert.__dict__).fetchone()
        return alert_id
    except Exception:
        log.exception("could not record the alert in ops.alert: %s", alert.subject)
        return None


def mail(alert: Alert, recipients: list[str], smtp_conn_id: str) -> None:
    """Send the alert through Airflow's SMTP connection ``smtp_conn_id``; raises when it cannot."""
    from airflow.providers.smtp.hooks.smtp import SmtpHook

    with SmtpHook(smtp_conn_id=smtp_conn_id) as smtp:
        smtp.send_email_smtp(
            to=recipients, subject=alert.subject, html_content=f"<pre>{alert.text()}</pre>",
            from_email=os.environ.get("PRESSWATCH_ALERT_FROM") or None,
        )


class FailureAlert(BaseNotifier):
    """Task failure callback: log, record in ops.alert, and mail when SMTP is configured.

    ``recipients``/``smtp_conn_id`` default to the environment at the time of the failure (not at parse
    time), so a running deployment changes them without touching the DAG files.
    """

    def __init__(self, recipients: list[str] | None = None, smtp_conn_id: str | None = None,
                 warehouse_url: str | None = None):
        super().__init__()
        self.recipients = recipients
        self.smtp_conn_id = smtp_conn_id
        self.warehouse_url = warehouse_url

    def notify(self, context) -> Alert:
        alert = alert_from_context(context)
        log.error("ALERT %s\n%s", alert.subject, alert.text())
        recipients = self.recipients if self.recipients is not None else recipients_from_env()
        if recipients:
            conn_id = self.smtp_conn_id or os.environ.get("PRESSWATCH_SMTP_CONN_ID", "smtp_default")
            try:
                mail(alert, recipients, conn_id)
                alert.mailed_to = list(recipients)
            except Exception as exc:
                alert.mail_error = f"{type(exc).__name__}: {exc}"[:2000]
                log.exception("could not mail the alert to %s through connection %s", recipients, conn_id)
        record(alert, self.warehouse_url)
        return alert

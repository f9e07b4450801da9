"""What every presswatch DAG shares: owner, retries, failure alerts, the month param's pattern.

Imported at DAG parse time: keep it free of heavy imports.
"""

from __future__ import annotations

import datetime as dt
import os

from .alerts import FailureAlert

MONTH_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])$"


def default_args(retries: int, retry_delay: dt.timedelta) -> dict:
    return {
        "owner": "presswatch",
        # Once a task has failed for good: a row in ops.alert, the log, and mail when SMTP is set up.
        "on_failure_callback": FailureAlert(),
        # Scheduled runs retry; interactive runs (make run/demo) set PRESSWATCH_TASK_RETRIES=0 to fail fast.
        "retries": int(os.environ.get("PRESSWATCH_TASK_RETRIES", retries)),
        "retry_delay": retry_delay,
    }

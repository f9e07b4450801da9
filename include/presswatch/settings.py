"""Where things are: project folders, inbox, storage and state, overridable from the environment."""

from __future__ import annotations

import os
import re
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = PROJECT_ROOT / "include" / "data"
SQL_DIR = PROJECT_ROOT / "sql"
SAMPLE_INBOX = DATA_DIR / "sample_inbox"

# The service reports in Kazakhstan's time: "last month" and "not in the future" are judged there.
TIMEZONE = "Asia/Almaty"


def state_dir() -> Path:
    """Folder for runtime state (embedded warehouse, Airflow home); never committed."""
    return Path(os.environ.get("PRESSWATCH_STATE_DIR", PROJECT_ROOT / ".data"))


def inbox_dir(override: str | os.PathLike | None = None) -> Path:
    """The inbox to ingest: an explicit path, else PRESSWATCH_INBOX, else the bundled sample inbox."""
    return Path(override or os.environ.get("PRESSWATCH_INBOX") or SAMPLE_INBOX)


def storage_dir(override: str | os.PathLike | None = None):
    """Shared storage for drafts and intake reports: an explicit path, else PRESSWATCH_STORAGE, else ./storage.

    A local path gives a ``Path``; an object-storage URL (``s3://bucket/prefix``, or
    ``s3://conn_id@bucket/prefix`` to name the Airflow connection) gives an ``airflow.sdk.ObjectStoragePath``.
    Without a connection in the URL, ``PRESSWATCH_STORAGE_CONN_ID`` names one, else the scheme's default
    (``aws_default`` for s3).
    """
    value = override or os.environ.get("PRESSWATCH_STORAGE") or PROJECT_ROOT / "storage"
    if hasattr(value, "protocol") and not isinstance(value, (str, os.PathLike)):
        return value  # already an ObjectStoragePath
    if isinstance(value, str) and re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", value):
        from airflow.sdk import ObjectStoragePath  # only for URLs: keeps parse time and the CLI light

        conn_id = os.environ.get("PRESSWATCH_STORAGE_CONN_ID") or None
        return ObjectStoragePath(value, conn_id=conn_id) if conn_id else ObjectStoragePath(value)
    return Path(value)


def intake_processes() -> int:
    """Worker processes that prepare a large inbox (see intake.ingest_files): PRESSWATCH_INTAKE_PROCESSES, else
    one per CPU this process may run on; 1 prepares every file in the loading process."""
    configured = os.environ.get("PRESSWATCH_INTAKE_PROCESSES")
    if configured:
        return max(1, int(configured))
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1

"""Where things are: project folders, inbox, storage and state, overridable from the environment."""

from __future__ import annotations

import os
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


def storage_dir(override: str | os.PathLike | None = None) -> Path:
    """Shared storage for drafts and intake reports: an explicit path, else PRESSWATCH_STORAGE, else ./storage."""
    return Path(override or os.environ.get("PRESSWATCH_STORAGE") or PROJECT_ROOT / "storage")

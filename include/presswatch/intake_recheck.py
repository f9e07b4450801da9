"""Copies skipped as identical, looked at again once every file of a DAG run has been loaded.

A file whose bytes equal another current file of its month is skipped (``FileOutcome.identical_to``).
``ingest_files`` looks at such copies again at the end of its own call, but the DAG loads each file in a mapped
task of its own, concurrently: a copy skipped as identical to a file that another task of the same run then
replaces would stay unloaded until the next run, which would then change the tables though the inbox did not.
Run after all the mapped tasks, this step loads those copies in the same run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

import psycopg

from .intake import FileOutcome, ingest_files


def copies_to_recheck(outcomes: Iterable[dict | None]) -> list[str]:
    """Paths of the files the outcomes (dicts, as they travel between tasks) skipped as identical to another
    file, in the order given. A task that returned nothing (it failed) has no outcome and is left out."""
    return [o["inbox_path"] for o in outcomes if o and o.get("identical_to") is not None]


def recheck_identical_copies(conn: psycopg.Connection, inbox: Path, outcomes: Iterable[dict | None],
                             today: dt.date | None = None, storage: Path | None = None,
                             submitted_at: dt.datetime | None = None) -> list[FileOutcome]:
    """Ingest again the files the outcomes skipped as identical to another file, with the run's ``submitted_at``,
    and return their new outcomes. A copy whose twin is still current with the same bytes is skipped again and
    changes nothing; one whose twin has been replaced since is loaded. As in ``ingest_files``, a file the
    warehouse refuses is rolled back alone and returned with status ``failed``."""
    paths = copies_to_recheck(outcomes)
    if not paths:
        return []
    return ingest_files(conn, inbox, paths, today, storage, submitted_at=submitted_at)


def final_outcomes(outcomes: Iterable[dict | None], rechecked: Iterable[dict] | None) -> list[dict]:
    """The run's outcome of each file: its recheck's where it was rechecked, else its mapped task's. Without
    ``rechecked`` (the recheck did not finish) the mapped tasks' outcomes stand; failed tasks are left out."""
    latest = {o["inbox_path"]: o for o in rechecked or []}
    return [latest.get(o["inbox_path"], o) for o in outcomes if o]

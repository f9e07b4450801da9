"""What a DAG run did to each file, settled once its tasks' first tries are past: copies skipped as identical
are looked at again once every file of the run has been loaded, and a retried task reports the files an earlier
try of the same run committed as that try loaded them.

A file whose bytes equal another current file of its month is skipped (``FileOutcome.identical_to``).
``ingest_files`` looks at such copies again at the end of its own call, but the DAG loads each file in a mapped
task of its own, concurrently: a copy skipped as identical to a file that another task of the same run then
replaces would stay unloaded until the next run, which would then change the tables though the inbox did not.
Run after all the mapped tasks, this step loads those copies in the same run.

A task can fail after its connection committed (the recheck raises for a file the warehouse refused once the
others are in; a worker can be lost before Airflow has a mapped task's outcome). Its retry finds the bytes
already loaded, which alone would read "unchanged" and put the file among the run's unchanged ones. Every file of
a run is stored with the run's ``submitted_at`` (its start, which a retry does not move), so a current version
with that ``submitted_at`` was loaded by this run, and the retry reports that load.

When every try of the recheck fails, the run's summary is settled from the warehouse instead
(``outcomes_without_recheck``): a copy the recheck committed before it failed is reported as loaded, and one it
could not load, though its twin has changed, as failed, not as unchanged.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Iterable
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg

from . import intake_report, settings
from .intake import FileOutcome, ingest_file, ingest_files, today_in_almaty
from .intake_prepare import correspondents_dir, file_sha256
from .warehouse import load_reports
from .warehouse.load_reports import SOURCE_KIND

log = logging.getLogger(__name__)


def copies_to_recheck(outcomes: Iterable[dict | None]) -> list[str]:
    """Paths of the files the outcomes (dicts, as they travel between tasks) skipped as identical to another
    file, in the order given. A task that returned nothing (it failed) has no outcome and is left out."""
    return [o["inbox_path"] for o in outcomes if o and o.get("identical_to") is not None]


def outcome_in_run(conn: psycopg.Connection, outcome: FileOutcome, submitted_at: dt.datetime | None,
                   today: dt.date | None = None, storage: Path | None = None) -> FileOutcome:
    """``outcome`` as the run of ``submitted_at`` sees it: a file "unchanged" because an earlier try of this same
    run already loaded (or quarantined) these bytes gets the outcome of that load, with the file's counts as the
    warehouse holds them now and its intake report (written again under ``storage``, as the load did). Any other
    outcome, and any outcome without ``submitted_at``, is returned as it is."""
    if outcome.status != "unchanged" or outcome.identical_to is not None or submitted_at is None:
        return outcome
    row = conn.execute(
        """SELECT f.file_id, f.status, f.rows_read, f.rows_loaded, f.rows_quarantined, f.submission_month, q.reason,
                  (SELECT count(*) FROM raw.row_replacement h
                   WHERE h.replaced_by_file_id = f.file_id AND h.file_id <> f.file_id),
                  (SELECT count(*) FROM raw.row_restoration r WHERE r.restored_by_file_id = f.file_id),
                  (SELECT count(*) FROM raw.row_replacement h WHERE h.file_id = f.file_id)
           FROM raw.file f LEFT JOIN quarantine.file q ON q.file_id = f.file_id
           WHERE f.source_kind = %s AND f.inbox_path = %s AND f.status <> 'superseded' AND f.submitted_at = %s
           ORDER BY f.file_id DESC LIMIT 1""",
        (SOURCE_KIND, outcome.inbox_path, submitted_at),
    ).fetchone()
    if row is None:  # loaded by an earlier run: unchanged indeed
        return outcome
    file_id, status, rows_read, rows_loaded, rows_quarantined, month, reason, replaced, restored, withdrawn = row
    if status == "quarantined":
        ran = FileOutcome(outcome.inbox_path, "quarantined", reason=reason, file_id=file_id, rows_restored=restored)
    else:
        ran = FileOutcome(outcome.inbox_path, "loaded", rows_read, rows_loaded, rows_quarantined, file_id=file_id,
                          rows_replaced=replaced, rows_restored=restored, rows_withdrawn=withdrawn)
    # The intake report as the load wrote it; a file's report goes to its submission month's folder.
    if storage is None:
        lines = intake_report.lines_for(conn, file_id)
    else:
        path, lines = intake_report.write_report(conn, storage, ran.inbox_path, file_id, [ran.describe()],
                                                 month or today or today_in_almaty())
        ran.report_path = str(path)
    ran.problems = intake_report.summary_by_column(lines)
    log.info("%s: loaded by an earlier try of this run (file %d), reported as that load", ran.inbox_path, file_id)
    return ran


def ingest_file_in_run(conn: psycopg.Connection, inbox: Path, inbox_path: str, today: dt.date | None = None,
                       storage: Path | None = None, submitted_at: dt.datetime | None = None) -> FileOutcome:
    """``intake.ingest_file`` for a task Airflow may retry: a file an earlier try of the same run (same
    ``submitted_at``) committed is reported as that try loaded it, not as unchanged."""
    outcome = ingest_file(conn, inbox, inbox_path, today, storage, submitted_at=submitted_at)
    return outcome_in_run(conn, outcome, submitted_at, today, storage)


def recheck_identical_copies(conn: psycopg.Connection, inbox: Path, outcomes: Iterable[dict | None],
                             today: dt.date | None = None, storage: Path | None = None,
                             submitted_at: dt.datetime | None = None) -> list[FileOutcome]:
    """Ingest again the files the outcomes skipped as identical to another file, with the run's ``submitted_at``,
    and return their new outcomes. A copy whose twin is still current with the same bytes is skipped again and
    changes nothing; one whose twin has been replaced since is loaded, and reported loaded by a retry of this
    step too (see outcome_in_run). As in ``ingest_files``, a file the warehouse refuses is rolled back alone and
    returned with status ``failed``."""
    paths = copies_to_recheck(outcomes)
    if not paths:
        return []
    return [outcome_in_run(conn, outcome, submitted_at, today, storage)
            for outcome in ingest_files(conn, inbox, paths, today, storage, submitted_at=submitted_at)]


def final_outcomes(outcomes: Iterable[dict | None], rechecked: Iterable[dict] | None) -> list[dict]:
    """The run's outcome of each file: its recheck's where it was rechecked, else its mapped task's. Without
    ``rechecked`` (the recheck did not finish) the mapped tasks' outcomes stand; failed tasks are left out."""
    latest = {o["inbox_path"]: o for o in rechecked or []}
    return [latest.get(o["inbox_path"], o) for o in outcomes if o]


def outcomes_without_recheck(conn: psycopg.Connection, inbox: Path, outcomes: Iterable[dict | None],
                             submitted_at: dt.datetime | None, today: dt.date | None = None,
                             storage: Path | None = None) -> list[dict]:
    """The run's outcome of each file (as dicts; failed tasks left out) when its recheck of copies did not finish:
    each try failed, so the mapped tasks' outcomes are all there is, and a copy among them reads "unchanged,
    identical to …" whatever the recheck did to it. Each copy is settled from the warehouse and the inbox:
    loaded (or quarantined) when the recheck committed it in this run; unchanged when its bytes are still those
    of a current file; else failed, since its twin changed and it is not loaded."""
    today = today or today_in_almaty()
    settled = []
    for outcome in outcomes:
        if not outcome:
            continue
        if outcome.get("identical_to") is not None:
            outcome = dataclasses.asdict(_copy_as_left(conn, inbox, FileOutcome(**outcome), submitted_at, today,
                                                       storage))
        settled.append(outcome)
    return settled


def _copy_as_left(conn: psycopg.Connection, inbox: Path, copy: FileOutcome, submitted_at: dt.datetime | None,
                  today: dt.date, storage: Path | None) -> FileOutcome:
    ran = outcome_in_run(conn, dataclasses.replace(copy, identical_to=None, reason=None), submitted_at, today,
                         storage)
    if ran.status != "unchanged":
        return ran
    path = correspondents_dir(inbox) / copy.inbox_path
    # A file outside a month folder belongs to the month of the day its task read it: the run's start, not
    # ``today``, which is past midnight when the summary runs late.
    read_on = submitted_at.astimezone(ZoneInfo(settings.TIMEZONE)).date() if submitted_at else today
    try:
        version = load_reports.FileVersion(copy.inbox_path, file_sha256(path), path.stat().st_size,
                                           intake_report.submission_month(copy.inbox_path, read_on))
    except OSError as exc:  # gone from the inbox since its task ran: nothing to say beyond what the task saw
        log.warning("%s: not found again to settle its outcome (%s)", copy.inbox_path, exc)
        return copy
    loaded, twin = load_reports.already_loaded_or_twin(conn, version)
    if loaded:
        return FileOutcome(copy.inbox_path, "unchanged")
    if twin is not None:
        return dataclasses.replace(copy, identical_to=twin, reason=f"identical to {twin}, already loaded")
    log.warning("%s: skipped as identical to %s, which has changed since, and not loaded by the recheck",
                copy.inbox_path, copy.identical_to)
    return FileOutcome(copy.inbox_path, "failed", reason=(
        f"skipped as identical to {copy.identical_to}, which this run then changed; the recheck that loads such "
        f"copies did not finish (see its task log), so the next run loads it"))

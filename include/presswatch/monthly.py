"""The monthly summary: stage the month's marts, check them, render the drafts, publish both at once."""

from __future__ import annotations

import datetime as dt
import logging
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg

from . import settings
from .reports import storage as draft_storage
from .reports.draft_data import collect
from .reports.markdown import render_markdown
from .warehouse import marts

log = logging.getLogger(__name__)

MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")
DRAFT_LANGUAGES = ("en",)


def parse_month(text: str) -> dt.date:
    """'2024-03' → 2024-03-01; ValueError for anything else."""
    match = MONTH_PATTERN.match(str(text).strip())
    if not match or not 1 <= int(match[2]) <= 12:
        raise ValueError(f"month must be YYYY-MM, got {text!r}")
    return dt.date(int(match[1]), int(match[2]), 1)


def previous_month(moment: dt.datetime) -> dt.date:
    """The calendar month before ``moment`` in Kazakhstan's time."""
    local = moment.astimezone(ZoneInfo(settings.TIMEZONE)) if moment.tzinfo else moment
    first = local.date().replace(day=1)
    return (first - dt.timedelta(days=1)).replace(day=1)


def resolve_month(month_param: str | None, run_after: dt.datetime | None) -> dt.date:
    """The month a run reports on: the ``month`` param when given, else the month before the run."""
    if month_param:
        return parse_month(month_param)
    return previous_month(run_after or dt.datetime.now(dt.timezone.utc))


def stage(conn: psycopg.Connection, month: dt.date, run_id: str) -> dict[str, int]:
    return marts.build_stage(conn, month, run_id)


def check(conn: psycopg.Connection, run_id: str) -> None:
    failures = marts.check_stage(conn, run_id)
    if failures:
        raise marts.MartCheckFailed("marts failed their checks, nothing published:\n" + "\n".join(failures))


def render_drafts(conn: psycopg.Connection, month: dt.date, run_id: str, storage: Path) -> list[Path]:
    """Render every draft of the month from the staged marts into the run's staging folder."""
    data = collect(conn, month, run_id)
    staged = []
    for language in DRAFT_LANGUAGES:
        text = render_markdown(data, language)
        staged.append(draft_storage.write_staged(storage, month, run_id, draft_storage.draft_name(month, language, "md"), text))
    log.info("rendered %d drafts into %s", len(staged), draft_storage.staging_dir(storage, month, run_id))
    return staged


def publish(conn: psycopg.Connection, month: dt.date, run_id: str, storage: Path, staged: list[Path]) -> dict:
    """Publish the staged marts and drafts together: both or neither."""
    final_dir = draft_storage.month_dir(storage, month)
    finals = [str(final_dir / p.name) for p in staged]
    moved: list = []
    try:
        with conn.transaction():
            headline = marts.publish_in_transaction(conn, month, run_id, finals)
            # Last step inside the transaction: if a file cannot be moved, the marts roll back too.
            moved = draft_storage.swap_into_place(staged, final_dir)
    except Exception:
        # The commit itself failed after the files moved: put the previous drafts back.
        draft_storage.restore(moved, staged_dir=draft_storage.staging_dir(storage, month, run_id))
        raise
    for _, backup in moved:
        if backup is not None:
            backup.unlink(missing_ok=True)
    draft_storage.discard_staging(storage, month, run_id)
    log.info("published %s: %s; drafts: %s", f"{month:%Y-%m}", headline, ", ".join(finals))
    return {"month": f"{month:%Y-%m}", "headline": headline, "drafts": finals}


def run_month(conn: psycopg.Connection, month: dt.date, run_id: str, storage: Path) -> dict:
    """All steps in one call (what the DAG does task by task)."""
    stage(conn, month, run_id)
    check(conn, run_id)
    staged = render_drafts(conn, month, run_id, storage)
    return publish(conn, month, run_id, storage, staged)


def discard(conn: psycopg.Connection, month: dt.date, run_id: str, storage: Path) -> None:
    """Remove a run's staged marts and drafts (after publication there is nothing left to remove)."""
    with conn.transaction():
        marts.discard_stage(conn, run_id)
    draft_storage.discard_staging(storage, month, run_id)

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
from .reports import drafts, versions
from .reports.draft_data import collect
from .warehouse import marts

log = logging.getLogger(__name__)

MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")
DRAFT_LANGUAGES = ("en", "ru")


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
    """Render every draft of the month from the staged marts into the run's staging folder.

    When the content is the same as the latest published version's, nothing is staged (an empty list)
    and ``publish`` keeps the drafts in place; otherwise the files of the next version are staged.
    """
    from . import __version__

    # The warehouse's own clock, to the microsecond: reports loaded after it are the next version's late
    # reports. generated_at is shown to the second, and a load in the same second would count as late.
    (data_as_of,) = conn.execute("SELECT clock_timestamp()").fetchone()
    data = collect(conn, month, run_id)
    previous = versions.read_manifest(draft_storage.month_dir(storage, month))
    composed = drafts.compose(data, DRAFT_LANGUAGES)
    unchanged = previous is not None and previous.get("content_fingerprint") == composed.fingerprint
    version = (previous["version"] if unchanged else previous["version"] + 1) if previous else 1
    generated = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    folder = draft_storage.staging_dir(storage, month, run_id)
    moved = versions.changed_numbers(previous and previous["headline"], data.headline())
    late = (drafts.loaded_since(conn, month, previous.get("data_as_of") or previous["generated_at"])
            if previous and not unchanged else (0, 0))
    drafts.write_plan(folder, {
        "month": f"{month:%Y-%m}", "version": version, "unchanged": unchanged, "run_id": run_id,
        "generated_at": generated.isoformat(), "data_as_of": data_as_of.isoformat(), "pipeline_version": __version__,
        "content_fingerprint": composed.fingerprint, "headline": data.headline(), "changes": moved,
        "why": versions.reasons(previous, late[0], late[1], moved, __version__),
    })
    if unchanged:
        log.info("drafts of %s unchanged since version %d: nothing new to publish", f"{month:%Y-%m}", version)
        return []
    staged = [draft_storage.write_staged(storage, month, run_id, name, content)
              for name, content in drafts.finish(composed, version, generated).items()]
    log.info("rendered version %d, %d files into %s", version, len(staged), folder)
    return staged


def publish(conn: psycopg.Connection, month: dt.date, run_id: str, storage: Path, staged: list[Path]) -> dict:
    """Publish the staged marts and drafts together: both or neither.

    A new draft version is copied to ``versions/vN/`` and moved to the contract paths with its
    ``manifest.json`` and ``CHANGES.md``; a failure removes the version and restores the previous files.
    ``storage`` is a local folder or an object store (``ObjectStoragePath``); staging is always local.
    """
    final_dir = draft_storage.month_dir(storage, month)
    staging = draft_storage.staging_dir(storage, month, run_id)
    plan = drafts.read_plan(staging)
    current = versions.read_manifest(final_dir)
    current_version = current["version"] if current else 0
    expected = plan["version"] if plan["unchanged"] else plan["version"] - 1
    if current_version != expected:
        raise RuntimeError(f"drafts of {month:%Y-%m} were published by another run (now v{current_version}); re-run")
    if plan["unchanged"]:
        finals = [str(final_dir / f["name"]) for f in current["files"] if drafts.is_draft(f["name"])]
        with conn.transaction():
            headline = marts.publish_in_transaction(conn, month, run_id, finals)
        draft_storage.discard_staging(storage, month, run_id)
        log.info("published %s marts: %s; drafts unchanged at version %d", f"{month:%Y-%m}", headline, current_version)
        return {"month": f"{month:%Y-%m}", "headline": headline, "drafts": finals, "version": current_version,
                "new_version": False}

    files = {p.name: p.read_bytes() for p in staged}
    manifest = versions.build_manifest(
        month=plan["month"], version=plan["version"], run_id=run_id,
        generated_at=dt.datetime.fromisoformat(plan["generated_at"]), data_as_of=plan.get("data_as_of"),
        pipeline_version=plan["pipeline_version"],
        content_fingerprint=plan["content_fingerprint"], files=files, headline=plan["headline"],
        changes=plan["changes"], why=plan["why"], previous=current,
    )
    staged = list(staged) + [
        draft_storage.write_staged(storage, month, run_id, versions.MANIFEST, versions.manifest_bytes(manifest)),
        draft_storage.write_staged(storage, month, run_id, versions.CHANGES,
                                   versions.change_log_markdown(plan["month"], manifest["history"])),
    ]
    finals = [str(final_dir / name) for name in sorted(files) if drafts.is_draft(name)]
    version_dir = versions.version_dir(final_dir, plan["version"])
    if draft_storage.is_object_store(final_dir):
        headline = _publish_to_object_store(conn, month, run_id, finals, staged, final_dir, version_dir, current)
    else:
        headline = _publish_locally(conn, month, run_id, finals, staged, final_dir, version_dir, staging)
    draft_storage.discard_staging(storage, month, run_id)
    log.info("published %s: %s; drafts version %d: %s", f"{month:%Y-%m}", headline, plan["version"], ", ".join(finals))
    return {"month": f"{month:%Y-%m}", "headline": headline, "drafts": finals, "version": plan["version"],
            "new_version": True}


def _publish_locally(conn, month, run_id, finals, staged, final_dir, version_dir, staging) -> dict:
    """Local folder: the version is renamed into place, the replaced files kept aside until the marts commit."""
    moved: list = []
    try:
        with conn.transaction():
            headline = marts.publish_in_transaction(conn, month, run_id, finals)
            draft_storage.keep_version(staged, version_dir)
            moved = draft_storage.swap_into_place(staged, final_dir)
    except Exception:
        draft_storage.restore(moved, staged_dir=staging)
        draft_storage.drop_version(version_dir)
        raise
    for _, backup in moved:
        if backup is not None:
            backup.unlink(missing_ok=True)
    return headline


def _publish_to_object_store(conn, month, run_id, finals, staged, final_dir, version_dir, current) -> dict:
    """Object store: upload ``versions/vN``, the contract paths, then ``manifest.json`` (the commit point).

    A failure before the manifest is written, or a failure of the marts' commit after it, puts the
    previous manifest and contract files back (see ``reports.storage``)."""
    previous_dir = versions.version_dir(final_dir, current["version"]) if current else None
    previous_manifest = (final_dir / versions.MANIFEST).read_bytes() if current else None
    written: list[str] = []
    try:
        with conn.transaction():
            headline = marts.publish_in_transaction(conn, month, run_id, finals)
            written = draft_storage.upload_version(
                staged, final_dir, version_dir, manifest_name=versions.MANIFEST,
                previous_dir=previous_dir, previous_manifest=previous_manifest)
    except Exception:
        if written:  # the upload finished but the marts did not commit: take the upload back
            draft_storage.undo_upload(written, final_dir, version_dir, previous_dir=previous_dir,
                                      previous_manifest=previous_manifest, manifest_name=versions.MANIFEST)
        raise
    return headline


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

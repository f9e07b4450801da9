"""Where drafts live: ``<STORAGE>/reports/YYYY-MM/``, with per-run staging beside it.

Drafts are written to a staging folder first and moved into place only when the month is published,
so a failed run never leaves a half-written or unchecked draft at the contract path.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from pathlib import Path


def month_dir(storage: Path, month: dt.date) -> Path:
    return Path(storage) / "reports" / f"{month:%Y-%m}"


def draft_name(month: dt.date, language: str, suffix: str) -> str:
    return f"monitoring-{month:%Y-%m}.{language}.{suffix}"


def staging_dir(storage: Path, month: dt.date, run_id: str) -> Path:
    safe_run = re.sub(r"[^A-Za-z0-9._-]+", "_", run_id)
    return month_dir(storage, month) / ".staging" / safe_run


def write_staged(storage: Path, month: dt.date, run_id: str, name: str, content: str | bytes) -> Path:
    folder = staging_dir(storage, month, run_id)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def swap_into_place(staged: list[Path], final_dir: Path) -> list[tuple[Path, Path | None]]:
    """Move staged files to ``final_dir``, keeping the files they replace aside; returns what to restore."""
    final_dir.mkdir(parents=True, exist_ok=True)
    moved: list[tuple[Path, Path | None]] = []
    try:
        for path in staged:
            final = final_dir / path.name
            backup = None
            if final.exists():
                backup = path.with_name(path.name + ".previous")
                os.replace(final, backup)
            moved.append((final, backup))
            os.replace(path, final)
    except OSError:
        restore(moved, staged_dir=staged[0].parent)
        raise
    return moved


def restore(moved: list[tuple[Path, Path | None]], staged_dir: Path | None = None) -> None:
    """Undo ``swap_into_place``: put back the replaced files (a failed publication changes nothing)."""
    for final, backup in reversed(moved):
        if final.exists():  # the new file made it into place: take it back out
            if staged_dir is not None:
                os.replace(final, staged_dir / final.name)
            else:
                final.unlink()
        if backup is not None:
            os.replace(backup, final)


def discard_staging(storage: Path, month: dt.date, run_id: str) -> None:
    shutil.rmtree(staging_dir(storage, month, run_id), ignore_errors=True)
    parent = month_dir(storage, month) / ".staging"
    if parent.is_dir() and not any(parent.iterdir()):
        parent.rmdir()


def keep_version(staged: list[Path], version_dir: Path) -> None:
    """Copy the staged files to ``version_dir`` (``versions/vN``), which must not exist yet.

    Written beside it first and renamed into place, so a version folder is either complete or absent.
    """
    if version_dir.exists():
        raise FileExistsError(f"{version_dir} already exists: versions are never overwritten")
    partial = version_dir.with_name("." + version_dir.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    for path in staged:
        shutil.copy2(path, partial / path.name)
    os.replace(partial, version_dir)


def drop_version(version_dir: Path) -> None:
    """Undo ``keep_version`` after a failed publication."""
    shutil.rmtree(version_dir, ignore_errors=True)
    shutil.rmtree(version_dir.with_name("." + version_dir.name + ".partial"), ignore_errors=True)

"""Where drafts live: ``<STORAGE>/reports/YYYY-MM/``, with per-run staging.

``STORAGE`` is a local folder or an object-storage URL (``s3://bucket/prefix``, any scheme
``airflow.sdk.ObjectStoragePath`` knows). Drafts are always rendered into a local staging folder first
and put in place only when the month is published, so a failed run never leaves a half-written or
unchecked draft at the contract path:

- local storage: staging is ``<month>/.staging/<run>/`` beside the drafts; publication copies the files
  to ``versions/vN/`` (written aside and renamed, so complete or absent) and moves them to the contract
  paths, keeping the replaced files aside until the run commits.
- object storage: staging is a local folder under the state folder (``PRESSWATCH_STATE_DIR``; with
  several workers it must be one they share, since rendering and publishing are separate tasks).
  An object store has no rename and no transaction, so publication uploads in an order that makes
  ``manifest.json`` the commit point: first every file of the version under ``versions/vN/``, then the
  contract paths, then ``manifest.json`` last (one PUT, which the store applies whole or not at all).
  A failure before the manifest is written leaves the previous ``manifest.json`` pointing at the
  previous version, whose files are intact under ``versions/v(N-1)/``; the contract paths already
  overwritten are put back from there and the partial ``versions/vN/`` is deleted (best effort: if the
  store itself is gone, the previous manifest and version folder are still the truth). A reader that
  needs a consistent set reads ``manifest.json`` and then the files of its ``path``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Union

if TYPE_CHECKING:
    from airflow.sdk import ObjectStoragePath

    StoragePath = Union[Path, ObjectStoragePath]
else:
    StoragePath = Path

URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def is_url(value: object) -> bool:
    """An object-storage URL (``scheme://…``) rather than a local path."""
    return isinstance(value, str) and bool(URL.match(value))


def is_object_store(storage: object) -> bool:
    """True for an ``ObjectStoragePath`` (anything with a protocol), False for a local ``Path``."""
    return not isinstance(storage, (str, os.PathLike)) and hasattr(storage, "protocol")


def as_storage(value: str | os.PathLike | StoragePath) -> StoragePath:
    """A local ``Path`` for a path, an ``ObjectStoragePath`` for a URL or one already made."""
    if is_object_store(value):
        return value
    if is_url(value):
        from airflow.sdk import ObjectStoragePath  # only when a URL is used: keeps parse time light

        return ObjectStoragePath(value)
    return Path(value)


def month_dir(storage: StoragePath, month: dt.date) -> StoragePath:
    return as_storage(storage) / "reports" / f"{month:%Y-%m}"


def draft_name(month: dt.date, language: str, suffix: str) -> str:
    return f"monitoring-{month:%Y-%m}.{language}.{suffix}"


def _safe(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text)


def staging_root(storage: StoragePath, month: dt.date) -> Path:
    """The local folder holding the month's per-run staging folders."""
    storage = as_storage(storage)
    if not is_object_store(storage):
        return month_dir(storage, month) / ".staging"
    from .. import settings

    # One folder per store URL, readable and short enough for any file system.
    url = str(storage)
    slug = f"{_safe(url)[:60]}-{hashlib.sha256(url.encode()).hexdigest()[:10]}"
    return settings.state_dir() / "staging" / slug / f"{month:%Y-%m}"


def staging_dir(storage: StoragePath, month: dt.date, run_id: str) -> Path:
    return staging_root(storage, month) / _safe(run_id)


def write_staged(storage: StoragePath, month: dt.date, run_id: str, name: str, content: str | bytes) -> Path:
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


def discard_staging(storage: StoragePath, month: dt.date, run_id: str) -> None:
    shutil.rmtree(staging_dir(storage, month, run_id), ignore_errors=True)
    parent = staging_root(storage, month)
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


# Object storage: no rename, so the order of uploads carries the atomicity (see the module docstring).

def _exists(path: StoragePath) -> bool:
    try:
        return path.exists()
    except FileNotFoundError:
        return False


def _put(path: StoragePath, content: bytes) -> None:
    """Write one object; a local ``file://`` store needs its folders made, an object store ignores this."""
    path.fs.makedirs(path.parent.path, exist_ok=True)
    path.write_bytes(content)


def _remove_tree(folder: StoragePath) -> None:
    try:
        if _exists(folder):
            folder.fs.rm(folder.path, recursive=True)
    except FileNotFoundError:
        pass


def upload_version(staged: list[Path], final_dir: StoragePath, version_dir: StoragePath, *, manifest_name: str,
                   previous_dir: StoragePath | None, previous_manifest: bytes | None) -> list[str]:
    """Publish staged files to an object store: ``versions/vN/`` first, contract paths next, manifest last.

    ``version_dir`` must not exist yet; ``previous_dir`` and ``previous_manifest`` describe what is
    published now (None for a first version). Returns the names written to the contract paths, for
    ``undo_upload`` if something after the upload fails; on its own failure it undoes what it wrote.
    """
    if _exists(version_dir) and any(True for _ in version_dir.iterdir()):
        raise FileExistsError(f"{version_dir} already exists: versions are never overwritten")
    contents = {path.name: path.read_bytes() for path in staged}
    written: list[str] = []
    try:
        for name, content in contents.items():
            _put(version_dir / name, content)
        for name, content in contents.items():
            if name != manifest_name:
                written.append(name)
                _put(final_dir / name, content)
        if manifest_name in contents:  # the commit point: readers follow the manifest
            written.append(manifest_name)
            _put(final_dir / manifest_name, contents[manifest_name])
    except Exception:
        undo_upload(written, final_dir, version_dir, previous_dir=previous_dir,
                    previous_manifest=previous_manifest, manifest_name=manifest_name)
        raise
    return written


def undo_upload(written: list[str], final_dir: StoragePath, version_dir: StoragePath, *,
                previous_dir: StoragePath | None, previous_manifest: bytes | None, manifest_name: str) -> None:
    """Put the month back as the previous manifest describes it and delete the new version folder.

    Contract files come back from the previous version's folder ``previous_dir``; files the previous
    version did not have are deleted. Best effort: an error here is not allowed to hide the one that caused the undo.
    """
    try:
        for name in written:
            target = final_dir / name
            if name == manifest_name:
                if previous_manifest is not None:
                    target.write_bytes(previous_manifest)
                elif _exists(target):
                    target.unlink()
                continue
            source = previous_dir / name if previous_dir is not None else None
            if source is not None and _exists(source):
                target.write_bytes(source.read_bytes())
            elif _exists(target):
                target.unlink()
        _remove_tree(version_dir)
    except Exception:  # noqa: BLE001 - the original failure is what the caller must see
        import logging

        logging.getLogger(__name__).exception("could not fully undo the upload into %s", final_dir)


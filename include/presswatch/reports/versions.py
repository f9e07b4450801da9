"""Versions of a month's drafts: ``manifest.json``, the change log and ``versions/vN/``.

Every publication that changes a draft's content makes a new version N: its files are kept under
``<month>/versions/vN/`` for good and copied to the contract paths, which always hold the latest.
Whether content changed is judged on a fingerprint of what the drafts say (the Markdown with the
generation date and version left out, and the chart images), so an unchanged re-run makes no version.
A month folder is a local ``Path`` or an ``ObjectStoragePath`` (see ``storage``); both work here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os

from .storage import StoragePath, as_storage, is_object_store

MANIFEST = "manifest.json"
CHANGES = "CHANGES.md"
VERSIONS = "versions"


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def fingerprint(parts: dict[str, bytes]) -> str:
    """One hash over named contents, independent of their order."""
    digest = hashlib.sha256()
    for name in sorted(parts):
        digest.update(name.encode() + b"\0" + sha256(parts[name]).encode() + b"\n")
    return digest.hexdigest()


def version_dir(month_dir: StoragePath, version: int) -> StoragePath:
    return as_storage(month_dir) / VERSIONS / f"v{version}"


def read_manifest(month_dir: StoragePath) -> dict | None:
    path = as_storage(month_dir) / MANIFEST
    return json.loads(path.read_bytes().decode("utf-8")) if path.exists() else None


def manifest_bytes(manifest: dict) -> bytes:
    return (json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=False) + "\n").encode("utf-8")


def write_json_atomically(path: StoragePath, manifest: dict) -> None:
    if is_object_store(path):  # one PUT replaces an object whole: no temporary needed (nor a rename)
        path.write_bytes(manifest_bytes(manifest))
        return
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_bytes(manifest_bytes(manifest))
    os.replace(temporary, path)


def changed_numbers(old: dict | None, new: dict) -> list[dict]:
    """Which headline numbers moved between two versions: per group, per category, confidential."""
    if not old:
        return []
    moved = []
    for kind, label in (("groups", "group"), ("categories", "category")):
        before, after = old.get(kind, {}), new.get(kind, {})
        for code in sorted(set(before) | set(after)):
            if before.get(code, 0) != after.get(code, 0):
                moved.append({"kind": label, "code": code, "old": before.get(code, 0), "new": after.get(code, 0)})
    if old.get("confidential", 0) != new.get("confidential", 0):
        moved.append({"kind": "confidential", "code": "confidential",
                      "old": old.get("confidential", 0), "new": new.get("confidential", 0)})
    return moved


def reasons(previous: dict | None, late_reports: int, late_files: int, moved: list[dict], pipeline_version: str) -> list[str]:
    """Why a version differs from the one before, in plain words for the change log."""
    if not previous:
        return ["first version"]
    why = []
    if late_reports:
        why.append(f"{late_reports} report(s) of this month loaded from {late_files} file(s) "
                   f"after version {previous['version']} was published")
    if previous.get("pipeline_version") != pipeline_version:
        why.append(f"pipeline updated from {previous.get('pipeline_version')} to {pipeline_version}")
    if not moved:
        why.append("wording of the drafts changed; no headline number moved")
    elif not late_reports:
        why.append("reports already loaded were counted differently (corrections, withdrawn or re-classified reports)")
    return why


def change_log_markdown(month: str, history: list[dict]) -> str:
    """CHANGES.md of a month: every version, newest first, with the numbers that moved and why."""
    lines = [f"# Draft versions, {month}", ""]
    for entry in reversed(history):
        lines.append(f"## v{entry['version']} ({entry['generated_at']}, run {entry['run_id']})")
        lines.append("")
        for reason in entry.get("why", []):
            lines.append(f"- {reason}")
        for change in entry.get("changes", []):
            lines.append(f"- {change['kind']} `{change['code']}`: {change['old']} → {change['new']}")
        lines.append("")
    return "\n".join(lines)


def build_manifest(*, month: str, version: int, run_id: str, generated_at: dt.datetime, pipeline_version: str,
                   content_fingerprint: str, files: dict[str, bytes], headline: dict, changes: list[dict],
                   why: list[str], previous: dict | None, data_as_of: str | None = None) -> dict:
    """``data_as_of``: the warehouse's clock when the version's data was read (reports loaded later are late)."""
    entry = {
        "version": version, "generated_at": generated_at.isoformat(timespec="seconds"), "run_id": run_id,
        "pipeline_version": pipeline_version, "content_fingerprint": content_fingerprint,
        "path": f"{VERSIONS}/v{version}", "headline": headline, "changes": changes, "why": why,
    }
    history = list((previous or {}).get("history", [])) + [entry]
    return {
        "month": month, "version": version, "status": "draft", "pipeline_version": pipeline_version,
        "generated_at": entry["generated_at"], "data_as_of": data_as_of, "run_id": run_id,
        "content_fingerprint": content_fingerprint,
        "files": [{"name": name, "sha256": sha256(content), "bytes": len(content)}
                  for name, content in sorted(files.items())],
        "headline": headline, "changes": changes, "why": why, "history": history,
    }


def mark_final(month_dir: StoragePath, version: int | None, reviewer: str, comment: str = "",
               when: dt.datetime | None = None) -> dict:
    """Record an editor's approval: the version becomes final in the month's manifest and in its own copy.

    ``version`` None approves the latest. Approving a version that is no longer the latest is refused:
    the editor reviewed something the contract paths no longer hold.
    """
    month_dir = as_storage(month_dir)
    manifest = read_manifest(month_dir)
    if manifest is None:
        raise FileNotFoundError(f"no drafts published in {month_dir}")
    version = manifest["version"] if version is None else int(version)
    if version != manifest["version"]:
        raise ValueError(f"version {version} is not the latest (v{manifest['version']}); review the latest drafts")
    approval = {"by": reviewer, "at": (when or dt.datetime.now(dt.timezone.utc)).isoformat(timespec="seconds"),
                "comment": comment}
    manifest["status"], manifest["approval"] = "final", approval
    for entry in manifest["history"]:
        if entry["version"] == version:
            entry["status"], entry["approval"] = "final", approval
    copy = version_dir(month_dir, version) / MANIFEST
    write_json_atomically(month_dir / MANIFEST, manifest)
    if copy.exists():
        write_json_atomically(copy, manifest)
    return manifest


def review_request(month_dir: StoragePath) -> dict:
    """What an editor is asked to approve: the latest version of the month, with its numbers and changes.

    ``body`` is Markdown for the approval form. FileNotFoundError when nothing is published yet.
    """
    month_dir = as_storage(month_dir)
    manifest = read_manifest(month_dir)
    if manifest is None:
        raise FileNotFoundError(f"no drafts published in {month_dir}: run monthly_summary for the month first")
    lines = [f"Drafts of **{manifest['month']}**, version **{manifest['version']}** "
             f"({manifest['status']}, generated {manifest['generated_at']}) in `{month_dir}`.", ""]
    lines += [f"- `{entry['name']}`" for entry in manifest["files"] if entry["name"].endswith((".md", ".docx"))]
    lines += ["", "Headline counts by group:", ""]
    lines += [f"- {code}: {count}" for code, count in sorted(manifest["headline"].get("groups", {}).items())]
    if manifest["history"][-1].get("why"):
        lines += ["", "Why this version:", ""] + [f"- {reason}" for reason in manifest["history"][-1]["why"]]
    lines += ["", "**Approve** marks this version final; **Reject** leaves it a draft."]
    return {"month": manifest["month"], "version": manifest["version"], "status": manifest["status"],
            "month_dir": str(month_dir), "body": "\n".join(lines)}


def approve_from_response(month_dir: StoragePath, version: int, response: dict) -> dict:
    """Mark ``version`` final from a human-in-the-loop response (``chosen_options``, ``params_input``,
    ``responded_by_user``, ``responded_at``); anything but an approval is refused."""
    if response.get("chosen_options") != ["Approve"]:
        raise ValueError(f"not an approval: {response.get('chosen_options')}")
    user = response.get("responded_by_user") or {}
    reviewer = user.get("name") or user.get("id") or "unknown editor"
    when = response.get("responded_at")
    if isinstance(when, str):
        when = dt.datetime.fromisoformat(when)
    comment = (response.get("params_input") or {}).get("comment") or ""
    return mark_final(month_dir, version, reviewer=reviewer, comment=comment, when=when)

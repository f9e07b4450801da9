"""Draft versions: late reports make a new version with a change log, nothing is overwritten silently,
an unchanged re-run makes none, and a failed publication leaves the previous version in place."""

import datetime as dt
import hashlib
import json

import psycopg
import pytest

from include.presswatch import monthly
from include.presswatch.intake import ingest_inbox
from include.presswatch.reports import storage as draft_storage
from include.presswatch.reports import versions
from tests.workbooks import report, write_csv

MARCH = dt.date(2024, 3, 1)


def run(warehouse_url, run_id, storage):
    with psycopg.connect(warehouse_url) as run_conn:
        return monthly.run_month(run_conn, MARCH, run_id, storage)


def load(conn, inbox, name, rows, today=dt.date(2024, 4, 10)):
    write_csv(inbox / "correspondents" / "2024-03" / name, rows)
    ingest_inbox(conn, inbox, today)
    conn.commit()


def snapshot(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def first(conn, inbox, warehouse_url, tmp_path):
    load(conn, inbox, "a.csv", [report(), report(category="obstruction_lawful_activity", summary="Полицейский помешал съёмке")])
    result = run(warehouse_url, "run-1", tmp_path)
    return {"result": result, "dir": draft_storage.month_dir(tmp_path, MARCH), "storage": tmp_path}


def test_an_unchanged_rerun_makes_no_new_version_and_touches_no_file(first, warehouse_url):
    before = snapshot(first["dir"])
    again = run(warehouse_url, "run-2", first["storage"])
    assert (first["result"]["version"], again["version"], again["new_version"]) == (1, 1, False)
    assert snapshot(first["dir"]) == before
    assert not (first["dir"] / "versions" / "v2").exists()


def test_late_reports_make_a_new_version_with_a_change_log_and_keep_the_old_one(first, conn, inbox, warehouse_url):
    v1 = snapshot(first["dir"] / "versions" / "v1")
    load(conn, inbox, "late.csv", [report(summary="Поздний отказ"), report(summary="Ещё один поздний отказ")],
         today=dt.date(2024, 4, 20))
    second = run(warehouse_url, "run-2", first["storage"])

    assert (second["version"], second["new_version"]) == (2, True)
    assert snapshot(first["dir"] / "versions" / "v1") == v1, "version 1 is kept as it was"
    manifest = versions.read_manifest(first["dir"])
    assert manifest["version"] == 2 and manifest["status"] == "draft"
    assert manifest["headline"]["groups"]["access_dissemination"] == 3
    assert {"kind": "group", "code": "access_dissemination", "old": 1, "new": 3} in manifest["changes"]
    assert {"kind": "category", "code": "refusal_restriction_information", "old": 1, "new": 3} in manifest["changes"]
    assert not any(c["code"] == "journalist_media_rights" for c in manifest["changes"])
    assert manifest["why"][0].startswith("2 report(s) of this month loaded from 1 file(s) after version 1")
    assert [h["version"] for h in manifest["history"]] == [1, 2]
    changes = (first["dir"] / "CHANGES.md").read_text(encoding="utf-8")
    assert "## v2" in changes and "group `access_dissemination`: 1 → 3" in changes and "## v1" in changes
    # The contract paths hold the latest, identical to versions/v2, and the manifest's checksums are true.
    latest = snapshot(first["dir"] / "versions" / "v2")
    for entry in manifest["files"]:
        content = (first["dir"] / entry["name"]).read_bytes()
        assert hashlib.sha256(content).hexdigest() == entry["sha256"] == hashlib.sha256(latest[entry["name"]]).hexdigest()
    assert "Поздний отказ" in (first["dir"] / "monitoring-2024-03.ru.md").read_text(encoding="utf-8")
    assert "Поздний отказ" not in v1["monitoring-2024-03.ru.md"].decode()
    assert "версия 2" in (first["dir"] / "monitoring-2024-03.ru.md").read_text(encoding="utf-8")


def test_a_failed_publication_keeps_the_previous_version_and_no_partial_new_one(first, conn, inbox, warehouse_url,
                                                                                monkeypatch):
    before = snapshot(first["dir"])
    load(conn, inbox, "late.csv", [report(summary="Поздний отказ")], today=dt.date(2024, 4, 20))
    keep_version = draft_storage.keep_version

    def keep_then_lose_a_file(staged, version_dir):
        keep_version(staged, version_dir)
        staged[-1].unlink()  # moving the drafts into place now fails midway, after versions/v2 was written

    monkeypatch.setattr(draft_storage, "keep_version", keep_then_lose_a_file)
    with psycopg.connect(warehouse_url) as run_conn:
        with pytest.raises(FileNotFoundError):
            monthly.run_month(run_conn, MARCH, "run-2", first["storage"])
        (published,) = run_conn.execute("SELECT run_id FROM mart.publication").fetchone()
    assert published == "run-1"
    after = {k: v for k, v in snapshot(first["dir"]).items() if not k.startswith(".staging/")}
    assert after == before
    assert not (first["dir"] / "versions" / "v2").exists()


def test_an_editor_approval_marks_the_latest_version_final(first):
    manifest = versions.mark_final(first["dir"], None, reviewer="editor@adilsoz.kz", comment="ok",
                                   when=dt.datetime(2024, 4, 11, tzinfo=dt.timezone.utc))
    assert manifest["status"] == "final"
    kept = json.loads((first["dir"] / "versions" / "v1" / "manifest.json").read_text(encoding="utf-8"))
    assert kept["status"] == "final" and kept["approval"]["by"] == "editor@adilsoz.kz"
    with pytest.raises(ValueError, match="not the latest"):
        versions.mark_final(first["dir"], 3, reviewer="someone")


def test_reports_loaded_in_the_same_second_before_a_version_are_not_late_for_the_next(first, conn, inbox,
                                                                                    warehouse_url):
    """generated_at is shown to the second; the boundary for late reports is the warehouse's clock itself."""
    v1 = versions.read_manifest(first["dir"])
    as_of = dt.datetime.fromisoformat(v1["data_as_of"])
    # The first file's reports as if loaded a moment before version 1 read them: most likely within the second
    # that generated_at shows, which the boundary used to be.
    conn.execute("UPDATE core.report SET loaded_at = %s", (as_of - dt.timedelta(microseconds=1),))
    conn.commit()
    load(conn, inbox, "late.csv", [report(summary="Поздний отказ"), report(summary="Ещё один поздний отказ")],
         today=dt.date(2024, 4, 20))
    run(warehouse_url, "run-2", first["storage"])

    assert versions.read_manifest(first["dir"])["why"][0].startswith(
        "2 report(s) of this month loaded from 1 file(s) after version 1")

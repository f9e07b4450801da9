"""Drafts published to object storage (``ObjectStoragePath``): rendered in a local staging folder,
uploaded as ``versions/vN``, then the contract paths, then ``manifest.json``; a failure before the
manifest leaves the previous version published.

Every test runs against a ``file://`` URL (the object-store code path on the local file system, always
available) and against S3 served by moto on 127.0.0.1 through an Airflow connection from the
environment (skipped, with the reason, when moto, s3fs or the amazon provider are not installed).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.util
import json
import socket

import psycopg
import pytest

from include.presswatch import monthly, settings
from include.presswatch.intake import ingest_inbox
from include.presswatch.reports import storage as draft_storage
from include.presswatch.reports import versions
from tests.workbooks import report, write_csv

MARCH = dt.date(2024, 3, 1)
BUCKET = "presswatch-drafts"
S3_CONN_ID = "presswatch_s3_test"
S3_PACKAGES = ("moto", "s3fs", "airflow.providers.amazon")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _missing(modules) -> list[str]:
    missing = []
    for name in modules:
        try:
            if importlib.util.find_spec(name) is None:
                missing.append(name)
        except ModuleNotFoundError:
            missing.append(name)
    return missing


@pytest.fixture(scope="module")
def s3_endpoint():
    """moto's S3 in server mode on a free local port, with a bucket; yields its URL."""
    missing = _missing(S3_PACKAGES)
    if missing:
        pytest.skip(f"S3 test needs moto[server], s3fs and apache-airflow-providers-amazon; missing: {', '.join(missing)}")
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    import boto3

    boto3.client("s3", endpoint_url=endpoint, aws_access_key_id="testing", aws_secret_access_key="testing",
                 region_name="us-east-1").create_bucket(Bucket=BUCKET)
    yield endpoint
    server.stop()


@pytest.fixture(params=["file", "s3"])
def store(request, tmp_path, monkeypatch, warehouse_url):
    """Storage as an ObjectStoragePath; staging goes to a state folder of the test's own."""
    monkeypatch.setenv("PRESSWATCH_STATE_DIR", str(tmp_path / "state"))
    if request.param == "file":
        return settings.storage_dir(f"file://{tmp_path}/bucket/drafts")
    endpoint = request.getfixturevalue("s3_endpoint")
    monkeypatch.setenv(f"AIRFLOW_CONN_{S3_CONN_ID.upper()}", json.dumps({
        "conn_type": "aws", "login": "testing", "password": "testing",
        "extra": {"endpoint_url": endpoint, "region_name": "us-east-1"},
    }))
    prefix = f"run-{tmp_path.name}"  # one prefix per test: the bucket outlives the test
    return settings.storage_dir(f"s3://{S3_CONN_ID}@{BUCKET}/{prefix}")


def run(warehouse_url, run_id, storage):
    with psycopg.connect(warehouse_url) as run_conn:
        return monthly.run_month(run_conn, MARCH, run_id, storage)


def load(conn, inbox, name, rows, today):
    write_csv(inbox / "correspondents" / "2024-03" / name, rows)
    ingest_inbox(conn, inbox, today)
    conn.commit()


def snapshot(folder) -> dict[str, bytes]:
    """Every object under ``folder`` by its key relative to it."""
    base = str(folder).rstrip("/") + "/"
    return {str(p)[len(base):]: p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def published(store, conn, inbox, warehouse_url):
    load(conn, inbox, "a.csv", [report(), report(category="obstruction_lawful_activity", summary="Полицейский помешал съёмке")],
         today=dt.date(2024, 4, 10))
    result = run(warehouse_url, "run-1", store)
    return {"result": result, "dir": draft_storage.month_dir(store, MARCH), "storage": store}


def test_storage_setting_tells_a_url_from_a_path(tmp_path):
    assert draft_storage.is_object_store(settings.storage_dir("file:///srv/presswatch"))
    assert settings.storage_dir(str(tmp_path)) == tmp_path
    assert not draft_storage.is_object_store(settings.storage_dir(str(tmp_path)))


def test_a_month_is_published_to_the_object_store_with_its_version_and_manifest(published, tmp_path, warehouse_url):
    month_dir, result = published["dir"], published["result"]
    assert (result["version"], result["new_version"]) == (1, True)
    assert all(d.startswith(str(month_dir)) for d in result["drafts"]), "mart.publication names the store's URLs"
    manifest = versions.read_manifest(month_dir)
    assert manifest["version"] == 1 and manifest["history"][0]["path"] == "versions/v1"
    files = snapshot(month_dir)
    for lang in ("en", "ru"):
        for suffix in ("md", "docx"):
            assert f"monitoring-2024-03.{lang}.{suffix}" in files
    for entry in manifest["files"]:
        assert hashlib.sha256(files[entry["name"]]).hexdigest() == entry["sha256"]
        assert files[f"versions/v1/{entry['name']}"] == files[entry["name"]]
    assert json.loads(files["versions/v1/manifest.json"]) == manifest
    assert not any(k.startswith(".staging") for k in files), "staging is local, never in the store"
    assert not list((tmp_path / "state" / "staging").rglob("*.md")), "the local staging folder is cleaned up"
    with psycopg.connect(warehouse_url) as c:
        (drafts,) = c.execute("SELECT drafts FROM mart.publication WHERE month = %s", (MARCH,)).fetchone()
    assert sorted(drafts) == sorted(result["drafts"])


def test_unchanged_rerun_and_late_reports_on_the_object_store(published, conn, inbox, warehouse_url):
    month_dir = published["dir"]
    before = snapshot(month_dir)
    again = run(warehouse_url, "run-2", published["storage"])
    assert (again["version"], again["new_version"]) == (1, False)
    assert snapshot(month_dir) == before

    load(conn, inbox, "late.csv", [report(summary="Поздний отказ")], today=dt.date(2024, 4, 20))
    third = run(warehouse_url, "run-3", published["storage"])
    assert (third["version"], third["new_version"]) == (2, True)
    after = snapshot(month_dir)
    assert {k: v for k, v in after.items() if k.startswith("versions/v1/")} == \
        {k: v for k, v in before.items() if k.startswith("versions/v1/")}, "version 1 is kept as it was"
    manifest = versions.read_manifest(month_dir)
    assert manifest["version"] == 2 and manifest["history"][0]["version"] == 1
    assert "Поздний отказ" in after["monitoring-2024-03.ru.md"].decode()
    assert after["monitoring-2024-03.ru.md"] == after["versions/v2/monitoring-2024-03.ru.md"]


def test_a_failed_upload_before_the_manifest_leaves_the_previous_version_published(published, conn, inbox,
                                                                                   warehouse_url, monkeypatch):
    month_dir = published["dir"]
    before = snapshot(month_dir)
    load(conn, inbox, "late.csv", [report(summary="Поздний отказ")], today=dt.date(2024, 4, 20))
    path_type = type(month_dir)
    write_bytes = path_type.write_bytes
    contract_ru = str(month_dir / "monitoring-2024-03.ru.md")

    def fail_on_a_contract_path(self, data, *args, **kwargs):
        # versions/v2 is complete and the English contract files may be written by now
        if str(self) == contract_ru and b"\xd0\x9f\xd0\xbe\xd0\xb7\xd0\xb4" in data:  # "Позд": the new text
            raise OSError("store unreachable")
        return write_bytes(self, data, *args, **kwargs)

    monkeypatch.setattr(path_type, "write_bytes", fail_on_a_contract_path)
    with psycopg.connect(warehouse_url) as run_conn:
        with pytest.raises(OSError, match="store unreachable"):
            monthly.run_month(run_conn, MARCH, "run-2", published["storage"])
        (published_run,) = run_conn.execute("SELECT run_id FROM mart.publication").fetchone()
    monkeypatch.undo()
    assert published_run == "run-1"
    assert versions.read_manifest(month_dir)["version"] == 1
    assert snapshot(month_dir) == before, "contract paths put back from versions/v1, no versions/v2"


def test_an_editor_approval_is_recorded_in_the_object_store(published):
    month_dir = published["dir"]
    manifest = versions.mark_final(month_dir, None, reviewer="editor", comment="ok",
                                   when=dt.datetime(2024, 4, 11, tzinfo=dt.timezone.utc))
    assert manifest["status"] == "final"
    kept = json.loads((versions.version_dir(month_dir, 1) / "manifest.json").read_bytes())
    assert kept["status"] == "final" and kept["approval"]["by"] == "editor"

"""HTTP sources against a real server on loopback replaying recorded responses: 429 with Retry-After, 500,
timeouts, conditional GET, next_url pagination, invalid JSON."""

import json

import pytest

from include.presswatch.registry import fetch_http_snapshots, ingest_registry
from include.presswatch.sources.registry_http import FetchError, fetch, fetch_json_pages

from .registry_fixtures import DECOYS, loopback_server


class Replay:
    """Per path, a list of recorded responses (status, headers, body, delay) served in order; the last repeats."""

    def __init__(self):
        self.responses: dict[str, list[tuple]] = {}
        self.requests: list[tuple[str, dict]] = []


@pytest.fixture
def server():
    replay = Replay()

    def respond(path: str, headers: dict):
        replay.requests.append((path, headers))
        queue = replay.responses.get(path, [(404, {}, b"not found", 0)])
        return queue.pop(0) if len(queue) > 1 else queue[0]

    with loopback_server(respond) as base:
        replay.base = base
        yield replay


FAST = {"backoff": 0.01, "timeout": (1.0, 0.5)}


def test_429_with_retry_after_and_a_500_are_retried_then_succeed(server):
    server.responses["/dump.csv"] = [(429, {"Retry-After": "1"}, b"slow down", 0), (500, {}, b"oops", 0),
                                     (200, {"ETag": '"v1"'}, b"body", 0)]
    waits = []
    result = fetch(server.base + "/dump.csv", sleep=waits.append, **FAST)
    assert result.body == b"body" and result.attempts == 3 and result.etag == '"v1"'
    assert waits[0] == 1.0  # Retry-After honoured rather than the backoff


def test_persistent_errors_and_timeouts_give_a_clear_error(server):
    server.responses["/down"] = [(503, {}, b"", 0)]
    with pytest.raises(FetchError, match="gave up after 3 attempts \\(HTTP 503\\)"):
        fetch(server.base + "/down", max_attempts=3, sleep=lambda s: None, **FAST)
    server.responses["/slow"] = [(200, {}, b"late", 1.5)]
    with pytest.raises(FetchError, match="ReadTimeout"):
        fetch(server.base + "/slow", max_attempts=2, sleep=lambda s: None, **FAST)
    server.responses["/gone"] = [(404, {}, b"", 0)]
    with pytest.raises(FetchError, match="HTTP 404"):
        fetch(server.base + "/gone", sleep=lambda s: None, **FAST)


def test_conditional_get_sends_validators_and_304_means_not_modified(server):
    server.responses["/dump.csv"] = [(304, {}, b"", 0)]
    result = fetch(server.base + "/dump.csv", etag='"v1"', last_modified="Wed, 20 Mar 2024 10:00:00 GMT", **FAST)
    assert result.not_modified
    headers = server.requests[-1][1]
    assert headers["If-None-Match"] == '"v1"' and headers["If-Modified-Since"] == "Wed, 20 Mar 2024 10:00:00 GMT"


def test_json_pages_follow_next_url_and_invalid_json_is_an_error(server):
    server.responses["/m?page=1"] = [(200, {}, json.dumps(
        {"metadata": {"next_url": server.base + "/m?page=2"}, "results": [{"measurement_uid": "a"}]}).encode(), 0)]
    server.responses["/m?page=2"] = [(200, {}, json.dumps(
        {"metadata": {"next_url": None}, "results": [{"measurement_uid": "b"}]}).encode(), 0)]
    results = fetch_json_pages(server.base + "/m?page=1", **FAST)
    assert [r["measurement_uid"] for r in results] == ["a", "b"]
    server.responses["/bad"] = [(200, {}, b'{"results": [', 0)]
    with pytest.raises(FetchError, match="not valid JSON"):
        fetch_json_pages(server.base + "/bad", **FAST)


def test_fetched_dump_is_ingested_and_an_unchanged_feed_gives_no_snapshot(server, conn, inbox, tmp_path):
    body = ("Updated: 2024-03-20 10:00:00 +0300\n" + "\n".join(DECOYS) + "\n").encode("cp1251")
    server.responses["/dump.csv"] = [(200, {"ETag": '"v1"'}, body, 0), (304, {}, b"", 0)]
    sources = [{"name": "zi", "url": server.base + "/dump.csv", "format": "zi_csv"}]
    snapshots, failures = fetch_http_snapshots(sources, tmp_path / "fetched")
    assert failures == [] and len(snapshots) == 1
    [outcome] = ingest_registry(conn, inbox, snapshots=snapshots).snapshots
    assert outcome.status == "valid" and outcome.rows_loaded == len(DECOYS)
    again, failures = fetch_http_snapshots(sources, tmp_path / "fetched")
    assert again == [] and failures == []
    assert server.requests[-1][1]["If-None-Match"] == '"v1"'

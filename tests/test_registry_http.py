"""HTTP sources against a real server on loopback replaying recorded responses: 429 with Retry-After, 500,
timeouts, bodies cut short, conditional GET, next_url pagination, invalid JSON and unusable metadata."""

import functools
import json
from contextlib import contextmanager

import pytest

from include.presswatch.registry import fetch_http_snapshots, ingest_registry
from include.presswatch.sources import registry_http
from include.presswatch.sources.registry_http import FetchError, fetch, fetch_json_pages, iter_json_pages

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


@contextmanager
def cut_short_server(body: bytes, times: int | None = None, headers: dict | None = None):
    """A loopback server that promises ``body`` (its Content-Length) and closes the connection after half of it,
    for the first ``times`` requests (all of them when None), then sends it whole. Yields the base URL and the
    list of requests served (True for each one cut short). ``headers`` are added to every answer."""
    served: list[bool] = []

    def respond(path: str, _headers: dict):
        cut = times is None or len(served) < times
        served.append(cut)
        promised = {**(headers or {}), "Content-Length": str(len(body))}
        return 200, promised, body[: len(body) // 2] if cut else body, 0

    with loopback_server(respond) as base:
        yield base, served


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


def test_a_body_cut_short_is_retried_like_a_dropped_connection():
    body = b"Updated: 2024-03-20 10:00:00 +0300\n" + b"1.2.3.4;decoy.com;;;;2017-01-02\n" * 50
    waits = []
    with cut_short_server(body, times=1) as (base, served):
        result = fetch(base + "/dump.csv", sleep=waits.append, **FAST)
    assert result.body == body and result.attempts == 2 and served == [True, False]
    assert len(waits) == 1
    with cut_short_server(body) as (base, served):
        with pytest.raises(FetchError, match="gave up after 2 attempts \\(ChunkedEncodingError"):
            fetch(base + "/dump.csv", max_attempts=2, sleep=lambda s: None, **FAST)
    assert served == [True, True]
    # A gzip body that does not decompress: retried too, then a FetchError rather than requests' own error.
    with cut_short_server(b"not gzip at all", times=0, headers={"Content-Encoding": "gzip"}) as (base, served):
        with pytest.raises(FetchError, match="gave up after 2 attempts \\(ContentDecodingError"):
            fetch(base + "/dump.csv.gz", max_attempts=2, sleep=lambda s: None, **FAST)
    assert len(served) == 2


def test_a_request_that_cannot_be_made_is_a_fetch_error_at_once(server):
    server.responses["/loop"] = [(302, {"Location": "/loop"}, b"", 0)]
    waits = []
    with pytest.raises(FetchError, match="TooManyRedirects"):
        fetch(server.base + "/loop", sleep=waits.append, **FAST)
    with pytest.raises(FetchError, match="InvalidURL"):
        fetch("http://[::1/dump.csv", sleep=waits.append, **FAST)
    with pytest.raises(FetchError, match="MissingSchema"):
        fetch("registry.example/dump.csv", sleep=waits.append, **FAST)
    assert waits == [], "no retry: the same request would fail the same way"


def test_a_register_dump_cut_short_is_a_failure_of_its_source_not_of_the_task(server, tmp_path, monkeypatch):
    waits = []  # the register path fetches with the default retries: its waits are recorded, not slept
    monkeypatch.setattr(registry_http, "fetch", functools.partial(registry_http.fetch, sleep=waits.append))
    body = ("Updated: 2024-03-20 10:00:00 +0300\n" + "\n".join(DECOYS) + "\n").encode("cp1251")
    server.responses["/dump.csv"] = [(200, {}, body, 0)]
    with cut_short_server(body) as (cut_base, served):
        sources = [{"name": "cut", "url": cut_base + "/dump.csv", "format": "zi_csv"},
                   {"name": "zi", "url": server.base + "/dump.csv", "format": "zi_csv"}]
        snapshots, failures = fetch_http_snapshots(sources, tmp_path / "fetched")
    assert len(failures) == 1 and failures[0].startswith("cut: ") and "ChunkedEncodingError" in failures[0]
    assert len(served) == 4 and len(waits) == 3, "retried as a dropped connection is"
    assert [s.origin.split(" ")[0] for s in snapshots] == [server.base + "/dump.csv"]


def listing_page(metadata, uid: str = "a") -> bytes:
    return json.dumps({"metadata": metadata, "results": [{"measurement_uid": uid}]}).encode()


@pytest.mark.parametrize("metadata, reason", [
    ("next page please", "metadata is str, not an object"),
    ([], "metadata is list, not an object"),
    ({"next_url": 5}, "next_url 5 is not an absolute http(s) URL"),
    ({"next_url": "/m?page=2"}, "next_url '/m?page=2' is not an absolute http(s) URL"),
    ({"next_url": "ftp://127.0.0.1/m?page=2"}, "next_url 'ftp://127.0.0.1/m?page=2' is not an absolute http(s) URL"),
    ({"next_url": "http:///m?page=2"}, "next_url 'http:///m?page=2' is not an absolute http(s) URL"),
    ({"next_url": "http://[::1/m"}, "next_url 'http://[::1/m' is not an absolute http(s) URL"),
    ({"next_url": "http://127.0.0.1/m?\x00"}, "next_url 'http://127.0.0.1/m?\\x00' is not an absolute http(s) URL"),
], ids=["text", "list", "number", "relative", "ftp", "no_host", "bad_ipv6", "nul"])
def test_metadata_that_names_no_next_page_is_an_error_after_the_page_it_came_with(server, metadata, reason):
    server.responses["/m?page=1"] = [(200, {}, listing_page(metadata), 0)]
    pages = []
    with pytest.raises(FetchError) as raised:
        for page in iter_json_pages(server.base + "/m?page=1", **FAST):
            pages.append(page)
    assert [p.data["results"][0]["measurement_uid"] for p in pages] == ["a"], "the page itself is handed out"
    assert str(raised.value) == f"{server.base}/m?page=1: {reason}"


@pytest.mark.parametrize("metadata", [None, {}, {"next_url": None}, {"next_url": ""}],
                         ids=["null", "empty", "next_url_null", "next_url_empty"])
def test_a_page_without_a_next_url_is_the_last(server, metadata):
    server.responses["/m?page=1"] = [(200, {}, listing_page(metadata), 0)]
    assert [r["measurement_uid"] for r in fetch_json_pages(server.base + "/m?page=1", **FAST)] == ["a"]


@pytest.mark.parametrize("body", [b'{"results": [' + b"9" * 5000 + b"]}", b"[" * 100_000],
                         ids=["integer_of_5000_digits", "nested_100000_deep"])
def test_json_that_python_refuses_to_parse_is_a_fetch_error_too(server, body):
    # Neither is a JSONDecodeError: a ValueError (int digit limit) and a RecursionError.
    server.responses["/m"] = [(200, {}, body, 0)]
    with pytest.raises(FetchError, match="not valid JSON"):
        fetch_json_pages(server.base + "/m", **FAST)

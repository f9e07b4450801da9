"""OONI measurements end to end: a loopback server plays the measurements API (pages with next_url, a 429,
malformed results, results the warehouse cannot store, a page that fails or is cut short), the real warehouse
takes them by measurement_uid, the watchlist matches outlets and not their look-alikes, and the month's draft
lists confirmed blocking in both languages."""

from __future__ import annotations

import datetime as dt
import json
import re
from urllib.parse import parse_qsl, urlencode, urlsplit

import psycopg
import pytest

from include.presswatch import monthly
from include.presswatch.ooni import LATE_UPLOADS, ingest_ooni, with_since
from include.presswatch.reports.draft_data import collect, ooni_blocking
from include.presswatch.reports.markdown import render_markdown
from include.presswatch.sources.registry_http import check_source_formats
from include.presswatch.sources.registry_ooni import BadResult, parse_start_time, read_result
from include.presswatch.warehouse.migrations import migrate
from tests.migration_states import migrations_before

from .registry_fixtures import loopback_server, write_watchlist
from .test_registry_http import cut_short_server

MARCH = dt.date(2024, 3, 1)
LISTING = "/api/v1/measurements?probe_cc=KZ&test_name=web_connectivity&anomaly=true"


class OoniApi:
    """The measurements API on loopback. Responses per route (path and query without ``since``, which the
    pipeline may add), served in order, the last one repeating; every request's full path is recorded. Like the
    API (ooni/backend, list_measurements), it answers 500 to a ``since`` that is not a date (YYYY-MM-DD)."""

    def __init__(self):
        self.responses: dict[str, list[tuple[int, dict, bytes]]] = {}
        self.requests: list[str] = []
        self.base = ""
        # When set, a page leaves out the results measured before ``since`` as the API does (it selects on
        # measurement_start_time > since); off by default so that pages of March 2024 stay listed later on.
        self.selects_since = False

    def page(self, route: str, results: list, next_route: str | None = None) -> tuple[int, dict, bytes]:
        body = {"metadata": {"next_url": self.base + next_route if next_route else None, "count": -1},
                "results": results}
        return 200, {"Content-Type": "application/json"}, json.dumps(body).encode()

    def serve(self, route: str, *responses) -> None:
        self.responses[route_of(route)] = list(responses)

    def source(self, route: str = LISTING, name: str = "ooni_kz") -> dict:
        return {"name": name, "url": self.base + route, "format": "ooni"}

    def since_of(self, request: str) -> str | None:
        return dict(parse_qsl(urlsplit(request).query)).get("since")

    def selected(self, since: str, response: tuple[int, dict, bytes]) -> tuple[int, dict, bytes]:
        status, headers, body = response
        if status != 200:
            return response
        start = dt.datetime.fromisoformat(since).replace(tzinfo=dt.timezone.utc)
        page = json.loads(body)
        page["results"] = [r for r in page["results"] if parse_start_time(r["measurement_start_time"]) > start]
        return status, headers, json.dumps(page).encode()


def route_of(path: str) -> str:
    parts = urlsplit(path)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "since"]
    return parts.path + ("?" + urlencode(query) if query else "")


@pytest.fixture
def api():
    state = OoniApi()

    def respond(path: str, headers: dict):
        state.requests.append(path)
        since = state.since_of(path)
        if since is not None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", since):
            return 500, {}, b"Internal Server Error", 0
        queue = state.responses.get(route_of(path), [(404, {}, b"not found")])
        response = queue.pop(0) if len(queue) > 1 else queue[0]
        if since is not None and state.selects_since:
            response = state.selected(since, response)
        return *response, 0

    with loopback_server(respond) as base:
        state.base = base
        yield state


def measurement(uid: str, url: str, *, anomaly: bool = True, confirmed: bool = False, failure: bool = False,
                when: str = "2024-03-15T10:11:12Z", asn="AS9198", cc: str = "KZ", **extra) -> dict:
    """One result as the listing gives it."""
    return {"measurement_uid": uid, "input": url, "anomaly": anomaly, "confirmed": confirmed, "failure": failure,
            "measurement_start_time": when, "probe_asn": asn, "probe_cc": cc, "test_name": "web_connectivity",
            "scores": {"blocking_general": 1.0 if confirmed else 0.5}, "report_id": f"report-{uid}", **extra}


def ingest(conn, api, inbox, tmp_path, sources=None, **options):
    waits = options.pop("waits", [])
    fast = {"backoff": 0.01, "timeout": (2.0, 2.0), "sleep": waits.append, **options}
    return ingest_ooni(conn, sources or [api.source()], tmp_path / "fetched", inbox, **fast)


def table(conn, name: str, order: str) -> list[tuple]:
    return conn.execute(f"SELECT * FROM {name} ORDER BY {order}").fetchall()


# -- fetching -------------------------------------------------------------------------------------------

def test_pages_are_followed_after_a_429_and_every_measurement_is_loaded_once(conn, api, inbox, tmp_path):
    second = LISTING + "&offset=2&limit=2"
    api.serve(LISTING,
              (429, {"Retry-After": "3"}, b'{"error": "quota"}'),
              api.page(LISTING, [measurement("m1", "https://tobolinfo.kz/"), measurement("m2", "https://vlast.kz/")],
                       second))
    # Offset pages shift when measurements arrive meanwhile: m2 is listed again on the next page.
    api.serve(second, api.page(second, [measurement("m2", "https://vlast.kz/"), measurement("m3", "https://orda.kz/")]))
    waits = []
    outcome = ingest(conn, api, inbox, tmp_path, waits=waits)

    [fetch] = outcome.fetches
    assert waits == [3.0], "the 429's Retry-After is what was waited"
    assert (fetch.status, fetch.pages, fetch.results_read, fetch.duplicates) == ("complete", 2, 4, 1)
    assert fetch.counts == {"new": 3, "changed": 0, "unchanged": 0}
    assert [uid for (uid,) in conn.execute("SELECT measurement_uid FROM core.ooni_measurement ORDER BY 1")] == [
        "m1", "m2", "m3"]
    assert [route_of(r) for r in api.requests] == [LISTING, LISTING, second]
    (files,) = conn.execute("SELECT files FROM core.ooni_fetch WHERE fetch_id = %s", (fetch.fetch_id,)).fetchone()
    assert [f["url"] for f in files] == [api.base + LISTING, api.base + second]
    kept = [json.loads(open(f["path"], "rb").read())["results"] for f in files]
    assert [r["measurement_uid"] for page in kept for r in page] == ["m1", "m2", "m2", "m3"]


def test_a_page_that_fails_keeps_the_pages_before_it_as_a_partial_reading(conn, api, inbox, tmp_path):
    second = LISTING + "&offset=1"
    api.serve(LISTING, api.page(LISTING, [measurement("m1", "https://tobolinfo.kz/")], second))
    api.serve(second, (503, {}, b"down"))
    outcome = ingest(conn, api, inbox, tmp_path, max_attempts=2)

    [fetch] = outcome.fetches
    assert fetch.status == "partial" and not outcome.all_failed
    assert fetch.problems[0].startswith("page 2: ") and "gave up after 2 attempts (HTTP 503)" in fetch.problems[0]
    assert conn.execute("SELECT measurement_uid, first_fetch_id FROM core.ooni_measurement").fetchall() == [
        ("m1", fetch.fetch_id)]
    assert conn.execute("SELECT status, problems FROM core.ooni_fetch").fetchall() == [("partial", fetch.problems)]


def test_a_listing_that_cannot_be_read_at_all_fails_and_changes_nothing(conn, api, inbox, tmp_path):
    api.serve(LISTING, (429, {"Retry-After": "1"}, b"daily quota spent"))
    outcome = ingest(conn, api, inbox, tmp_path, max_attempts=2)

    assert outcome.all_failed
    assert conn.execute("SELECT status, pages, problems FROM core.ooni_fetch").fetchall() == [
        ("failed", 0, [f"page 1: {api.base}{LISTING}: gave up after 2 attempts (HTTP 429)"])]
    assert conn.execute("SELECT count(*) FROM core.ooni_measurement").fetchone() == (0,)


def test_a_page_cut_short_keeps_the_pages_before_it_as_a_partial_reading(conn, api, inbox, tmp_path):
    with cut_short_server(b'{"metadata": {"next_url": null}, "results": []}') as (cut_base, served):
        page = json.dumps({"metadata": {"next_url": cut_base + "/api/v1/measurements?offset=1"},
                           "results": [measurement("m1", "https://tobolinfo.kz/")]}).encode()
        api.serve(LISTING, (200, {"Content-Type": "application/json"}, page))
        outcome = ingest(conn, api, inbox, tmp_path, max_attempts=2)

    [fetch] = outcome.fetches
    assert len(served) == 2, "the page cut short was asked for again"
    assert (fetch.status, fetch.pages, fetch.counts["new"]) == ("partial", 1, 1)
    assert fetch.problems[0].startswith("page 2: ") and "(ChunkedEncodingError" in fetch.problems[0]
    assert conn.execute("SELECT measurement_uid FROM core.ooni_measurement").fetchall() == [("m1",)]


@pytest.mark.parametrize("metadata, reason", [
    ("see next page", "metadata is str, not an object"),
    ({"next_url": "/api/v1/measurements?offset=1"},
     "next_url '/api/v1/measurements?offset=1' is not an absolute http(s) URL"),
], ids=["metadata_text", "relative_next_url"])
def test_a_page_that_names_no_usable_next_page_is_kept_as_a_partial_reading(conn, api, inbox, tmp_path,
                                                                           metadata, reason):
    page = {"metadata": metadata, "results": [measurement("m1", "https://tobolinfo.kz/")]}
    api.serve(LISTING, (200, {"Content-Type": "application/json"}, json.dumps(page).encode()))
    outcome = ingest(conn, api, inbox, tmp_path)

    [fetch] = outcome.fetches
    assert (fetch.status, fetch.pages, fetch.counts["new"]) == ("partial", 1, 1)
    assert fetch.problems == [f"page 2: {api.base}{LISTING}: {reason}"]
    assert conn.execute("SELECT status, problems FROM core.ooni_fetch").fetchall() == [("partial", fetch.problems)]


def test_the_next_reading_asks_only_since_the_last_complete_one_less_late_uploads(conn, api, inbox, tmp_path):
    api.serve(LISTING, api.page(LISTING, [measurement("m1", "https://tobolinfo.kz/")]))
    ingest(conn, api, inbox, tmp_path)
    ingest(conn, api, inbox, tmp_path)
    (completed,) = conn.execute("SELECT fetched_at FROM core.ooni_fetch ORDER BY fetch_id LIMIT 1").fetchone()

    first, again = api.requests
    assert api.since_of(first) is None, "the first reading takes the API's own window"
    expected = (completed - LATE_UPLOADS).astimezone(dt.timezone.utc).strftime("%Y-%m-%d")
    assert api.since_of(again) == expected
    # A since= of the configured URL is the operator's: never replaced.
    assert with_since(api.base + LISTING + "&since=2024-01-01", completed) == api.base + LISTING + "&since=2024-01-01"


def test_a_partial_or_failed_reading_leaves_since_where_the_last_complete_one_put_it(conn, api, inbox, tmp_path):
    api.serve(LISTING, api.page(LISTING, [measurement("m1", "https://tobolinfo.kz/")]))
    ingest(conn, api, inbox, tmp_path)
    # A month ago, so that a later reading taken for the last complete one would ask for another since.
    conn.execute("UPDATE core.ooni_fetch SET fetched_at = fetched_at - interval '30 days'")
    conn.commit()
    (completed,) = conn.execute("SELECT fetched_at FROM core.ooni_fetch").fetchone()
    expected = (completed - LATE_UPLOADS).astimezone(dt.timezone.utc).strftime("%Y-%m-%d")

    second = LISTING + "&offset=1"
    api.serve(LISTING, api.page(LISTING, [measurement("m1", "https://tobolinfo.kz/")], second))
    api.serve(second, (503, {}, b"down"))
    partial = ingest(conn, api, inbox, tmp_path, max_attempts=1).fetches[0]
    api.serve(LISTING, (429, {}, b"daily quota spent"))
    failed = ingest(conn, api, inbox, tmp_path, max_attempts=1).fetches[0]
    api.serve(LISTING, api.page(LISTING, [measurement("m1", "https://tobolinfo.kz/")]))
    ingest(conn, api, inbox, tmp_path)

    assert (partial.status, failed.status) == ("partial", "failed")
    readings = [r for r in api.requests if route_of(r) == LISTING]
    assert [api.since_of(r) for r in readings] == [None, expected, expected, expected], (
        "the partial reading, the failed one and the one after them all ask since the last complete reading")


def days_ago(days: float) -> str:
    """A measurement_start_time ``days`` before now, as the listing gives it."""
    return (dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_a_measurement_uploaded_weeks_late_is_read_by_the_next_reading(conn, api, inbox, tmp_path):
    api.selects_since = True
    # One time for both listings: the API lists the same measurement with the same start time each time.
    on_time = measurement("on_time", "https://tobolinfo.kz/", when=days_ago(1))
    api.serve(LISTING, api.page(LISTING, [on_time]))
    first = ingest(conn, api, inbox, tmp_path).fetches[0]
    # A probe offline for a fortnight uploads what it measured 16 days ago: the API lists it from now on, by when
    # it was measured. What was measured before the look-back is not asked for (each reading costs pages).
    api.serve(LISTING, api.page(LISTING, [
        on_time,
        measurement("late", "https://vlast.kz/", confirmed=True, when=days_ago(16)),
        measurement("too_late", "https://orda.kz/", when=days_ago(45)),
    ]))
    second = ingest(conn, api, inbox, tmp_path).fetches[0]
    after_second = (table(conn, "core.ooni_measurement", "measurement_uid"),
                    table(conn, "core.ooni_host_match", "host, outlet_id"))
    third = ingest(conn, api, inbox, tmp_path).fetches[0]

    assert [uid for (uid,) in conn.execute("SELECT measurement_uid FROM core.ooni_measurement ORDER BY 1")] == [
        "late", "on_time"]
    (completed,) = conn.execute("SELECT fetched_at FROM core.ooni_fetch WHERE fetch_id = %s",
                                (first.fetch_id,)).fetchone()
    assert api.since_of(api.requests[1]) == (completed - dt.timedelta(days=30)).astimezone(
        dt.timezone.utc).strftime("%Y-%m-%d"), "30 days before the last complete reading, by default"
    assert (second.counts, third.counts) == ({"new": 1, "changed": 0, "unchanged": 1},
                                             {"new": 0, "changed": 0, "unchanged": 2})
    assert (table(conn, "core.ooni_measurement", "measurement_uid"),
            table(conn, "core.ooni_host_match", "host, outlet_id")) == after_second, "reading again changed rows"
    assert conn.execute("SELECT measurement_uid FROM core.ooni_outlet_measurement WHERE confirmed").fetchall() == [
        ("late",)]


def test_the_look_back_for_late_uploads_is_set_per_source(conn, api, inbox, tmp_path):
    api.serve(LISTING, api.page(LISTING, [measurement("m1", "https://tobolinfo.kz/")]))
    source = {**api.source(), "late_upload_days": 3}
    ingest(conn, api, inbox, tmp_path, sources=[source])
    ingest(conn, api, inbox, tmp_path, sources=[source])
    (completed,) = conn.execute("SELECT min(fetched_at) FROM core.ooni_fetch").fetchone()
    assert api.since_of(api.requests[1]) == (completed - dt.timedelta(days=3)).astimezone(
        dt.timezone.utc).strftime("%Y-%m-%d")

    for bad in ("a month", 30.5, -1, 367, True):
        requested = len(api.requests)
        with pytest.raises(ValueError, match=rf"OONI source ooni_kz: late_upload_days is {re.escape(repr(bad))}, "
                                             r"not a whole number of days from 0 to 366"):
            ingest(conn, api, inbox, tmp_path, sources=[{**api.source(), "late_upload_days": bad}])
        assert len(api.requests) == requested, "nothing is requested with a bad option"


def test_without_an_ooni_source_nothing_is_requested(conn, api, inbox, tmp_path):
    dump = {"name": "zi", "url": api.base + "/dump.csv", "format": "zi_csv"}
    outcome = ingest(conn, api, inbox, tmp_path, sources=[dump])
    assert outcome.fetches == [] and api.requests == []
    assert conn.execute("SELECT count(*) FROM core.ooni_fetch").fetchone() == (0,)
    with pytest.raises(ValueError, match="unknown format.*ooni_json: 'json'"):
        check_source_formats([dump, {"name": "ooni_json", "url": "http://x", "format": "json"}])


# -- reading --------------------------------------------------------------------------------------------

def test_malformed_results_are_reported_with_every_reason_and_the_rest_load(conn, api, inbox, tmp_path):
    results = [
        measurement("good", "https://WWW.TobolInfo.KZ/news/1"),
        {"input": "https://vlast.kz/", "anomaly": True, "confirmed": False},
        measurement("flags", "https://vlast.kz/", anomaly="yes", asn="ASx"),
        measurement("dns", "https://vlast.kz/", test_name="dns_consistency"),
        measurement("nohost", "https://bad host.kz/"),
        measurement("when", "https://vlast.kz/", when="15.03.2024"),
        "not an object",
        measurement("ip", "http://91.201.214.1:80/", asn=9198),  # an IP address: kept, never matched
    ]
    api.serve(LISTING, api.page(LISTING, results))
    [fetch] = ingest(conn, api, inbox, tmp_path).fetches

    assert fetch.status == "complete" and fetch.rejected == 6 and fetch.counts["new"] == 2
    assert fetch.problems == [
        "page 1, result 2: no measurement_uid; probe_cc is None, not a two-letter country code; "
        "probe_asn is None, not an AS number; measurement_start_time is None, not a date and time",
        "page 1, result 3 (flags): probe_asn is 'ASx', not an AS number; anomaly is 'yes', not true or false",
        "page 1, result 4 (dns): test_name is 'dns_consistency', not web_connectivity",
        "page 1, result 5 (nohost): input 'https://bad host.kz/': 'bad host.kz' is not a host name",
        "page 1, result 6 (when): measurement_start_time '15.03.2024' is not a date and time",
        "page 1, result 7: not a JSON object but str",
    ]
    assert conn.execute("SELECT rejected_count, problems FROM core.ooni_fetch").fetchone() == (6, fetch.problems)
    assert conn.execute(
        """SELECT measurement_uid, host, probe_asn, measurement_start_time, scores->>'blocking_general'
           FROM core.ooni_measurement ORDER BY 1""").fetchall() == [
        ("good", "tobolinfo.kz", 9198, dt.datetime(2024, 3, 15, 10, 11, 12, tzinfo=dt.timezone.utc), "0.5"),
        ("ip", None, 9198, dt.datetime(2024, 3, 15, 10, 11, 12, tzinfo=dt.timezone.utc), "0.5"),
    ]


@pytest.mark.parametrize("bad, problem", [
    (measurement("nul_input", "https://vlast.kz/a\u0000b"),
     "(nul_input): input 'https://vlast.kz/a\\x00b' contains a NUL character"),
    (measurement("nul_report", "https://vlast.kz/", report_id="r\u0000"),
     "(nul_report): report_id 'r\\x00' contains a NUL character"),
    (measurement("nul\u0000uid", "https://vlast.kz/", report_id="r1"),
     "('nul\\x00uid'): measurement_uid 'nul\\x00uid' contains a NUL character"),
    (measurement("surrogate", "https://vlast.kz/\ud800"),
     "(surrogate): input 'https://vlast.kz/\\ud800' contains a lone surrogate (not UTF-8)"),
    (measurement("surrogate\udfff", "https://vlast.kz/", report_id="r1"),
     "('surrogate\\udfff'): measurement_uid 'surrogate\\udfff' contains a lone surrogate (not UTF-8)"),
    (measurement("nan", "https://vlast.kz/", scores={"blocking_general": float("nan")}),
     "(nan): scores hold NaN or Infinity, which JSON does not allow"),
    (measurement("infinity", "https://vlast.kz/", scores='{"blocking_general": Infinity}'),
     "(infinity): scores hold NaN or Infinity, which JSON does not allow"),
    (measurement("nul_score", "https://vlast.kz/", scores={"analysis": {"notes": ["a\u0000"]}}),
     "(nul_score): scores contain a NUL character"),
    (measurement("nul_score_key", "https://vlast.kz/", scores='{"\\u0000": 1}'),
     "(nul_score_key): scores contain a NUL character"),
    (measurement("year_1", "https://vlast.kz/", when="0001-01-01T00:00:00+05:00"),
     "(year_1): measurement_start_time '0001-01-01T00:00:00+05:00' is out of range"),
    (measurement("year_2011", "https://vlast.kz/", when="2011-12-31T23:59:59Z"),
     "(year_2011): measurement_start_time '2011-12-31T23:59:59Z' is before OONI's first measurements (2012)"),
    (measurement("year_10000", "https://vlast.kz/", when="9999-12-31T23:00:00-05:00"),
     "(year_10000): measurement_start_time '9999-12-31T23:00:00-05:00' is out of range"),
], ids=["nul_input", "nul_report_id", "nul_uid", "surrogate_input", "surrogate_uid", "nan_score",
        "infinity_in_score_text", "nul_score", "nul_score_key", "year_1", "year_2011", "year_10000"])
def test_a_result_the_warehouse_cannot_store_is_rejected_and_everything_else_loads(conn, api, inbox, tmp_path,
                                                                                   bad, problem):
    # Sent as the API would: json.dumps writes \u0000, \ud800 and NaN, and json.loads reads them back.
    other = LISTING + "&probe_asn=AS21299"
    api.serve(LISTING, api.page(LISTING, [measurement("ok1", "https://tobolinfo.kz/"), bad]))
    api.serve(other, api.page(other, [measurement("ok2", "https://vlast.kz/")]))
    sources = [api.source(LISTING, "kz"), api.source(other, "kz_as21299")]
    outcome = ingest(conn, api, inbox, tmp_path, sources=sources)

    first, second = outcome.fetches
    assert (first.status, first.rejected, first.counts["new"]) == ("complete", 1, 1)
    assert first.problems == [f"page 1, result 2 {problem}"]
    assert (second.status, second.counts["new"]) == ("complete", 1), "the next source is read too"
    assert conn.execute("SELECT source, problems FROM core.ooni_fetch ORDER BY fetch_id").fetchall() == [
        ("kz", first.problems), ("kz_as21299", [])]
    assert conn.execute("SELECT measurement_uid FROM core.ooni_measurement ORDER BY 1").fetchall() == [
        ("ok1",), ("ok2",)]
    assert outcome.matching == {"hosts": 2, "matches": 2}, "and the hosts are matched"


def test_the_reader_takes_both_forms_the_api_uses():
    # пример.қаз: an example internationalised host, in Unicode and in punycode
    listing = read_result(measurement("a", "http://пример.қаз/", asn="AS21299", when="2024-03-15T10:11:12Z"))
    raw = read_result(dict(measurement("a", "http://xn--e1afmkfd.xn--80ao21a/", asn=21299,
                                       when="2024-03-15 10:11:12"), scores='{"blocking_general": 0.5}'))
    assert listing.host == raw.host == "xn--e1afmkfd.xn--80ao21a"
    assert listing.host_unicode == "пример.қаз"
    assert listing.probe_asn == raw.probe_asn == 21299
    assert listing.measurement_start_time == raw.measurement_start_time
    with pytest.raises(BadResult, match="probe_cc is 'Kazakhstan'"):
        read_result(measurement("b", "https://vlast.kz/", cc="Kazakhstan"))


# -- loading --------------------------------------------------------------------------------------------

def test_reading_the_same_pages_again_leaves_the_same_tables(conn, api, inbox, tmp_path):
    route = LISTING + "&since=2024-03-01"
    second = route + "&offset=2"
    api.serve(route, api.page(route, [measurement("m1", "https://tobolinfo.kz/", confirmed=True),
                                      measurement("m2", "https://rus.azattyq.org/a/1")], second))
    api.serve(second, api.page(second, [measurement("m3", "https://nottobolinfo.kz/")]))
    sources = [api.source(route)]
    first = ingest(conn, api, inbox, tmp_path, sources=sources)
    before = (table(conn, "core.ooni_measurement", "measurement_uid"),
              table(conn, "core.ooni_host_match", "host, outlet_id"))
    again = ingest(conn, api, inbox, tmp_path, sources=sources)
    after = (table(conn, "core.ooni_measurement", "measurement_uid"),
             table(conn, "core.ooni_host_match", "host, outlet_id"))

    assert first.fetches[0].counts == {"new": 3, "changed": 0, "unchanged": 0}
    assert again.fetches[0].counts == {"new": 0, "changed": 0, "unchanged": 3}
    assert len(before[0]) == 3 and len(before[1]) == 2
    assert after == before, "a second reading of the same pages rewrote rows"
    assert conn.execute("SELECT count(*) FROM core.ooni_fetch").fetchone() == (2,), "each reading is recorded"


def test_a_rescored_measurement_is_updated_in_place(conn, api, inbox, tmp_path):
    api.serve(LISTING, api.page(LISTING, [measurement("m1", "https://tobolinfo.kz/"),
                                          measurement("m2", "https://vlast.kz/")]))
    first = ingest(conn, api, inbox, tmp_path).fetches[0]
    # OONI later confirms m1 (a block page fingerprint was added); m2 is listed as before.
    api.serve(LISTING, api.page(LISTING, [measurement("m1", "https://tobolinfo.kz/", confirmed=True),
                                          measurement("m2", "https://vlast.kz/")]))
    second = ingest(conn, api, inbox, tmp_path).fetches[0]

    assert second.counts == {"new": 0, "changed": 1, "unchanged": 1}
    rows = conn.execute("""SELECT measurement_uid, outcome, first_fetch_id, changed_fetch_id, loaded_at < changed_at
                           FROM core.ooni_measurement ORDER BY 1""").fetchall()
    assert rows == [("m1", "confirmed", first.fetch_id, second.fetch_id, True),
                    ("m2", "anomaly", first.fetch_id, first.fetch_id, False)]


# -- matching -------------------------------------------------------------------------------------------

def test_watchlist_outlets_are_matched_and_look_alikes_are_not(conn, api, inbox, tmp_path):
    # пример.қаз: an example internationalised host, watched in Unicode and measured in Unicode
    write_watchlist(inbox, [("*.orda-media.kz", "Orda Media"), ("http://пример.қаз/", "IDN Example")])
    api.serve(LISTING, api.page(LISTING, [
        measurement("exact", "https://WWW.TOBOLINFO.KZ/news/1"),
        measurement("sub", "https://rus.azattyq.org/a/32870000.html"),
        measurement("idn", "http://пример.қаз/"),
        measurement("wild", "https://city.orda-media.kz/"),
        # look-alikes: none may match
        measurement("prefix", "https://nottobolinfo.kz/"),
        measurement("suffix", "https://tobolinfo.kz.evil.com/tobolinfo.kz"),
        measurement("dash", "https://tobolinfo-kz.ru/"),
        measurement("path", "http://vlastkz.org/vlast.kz"),
        measurement("ip", "http://91.201.214.1/tobolinfo.kz"),
    ]))
    outcome = ingest(conn, api, inbox, tmp_path)

    assert set(conn.execute(
        "SELECT host, outlet_id, outlet_domain, match_kind FROM core.ooni_host_match").fetchall()) == {
        ("tobolinfo.kz", "tobolinfo", "tobolinfo.kz", "exact"),
        ("rus.azattyq.org", "azattyq", "azattyq.org", "subdomain"),
        ("xn--e1afmkfd.xn--80ao21a", "wl:xn--e1afmkfd.xn--80ao21a", "xn--e1afmkfd.xn--80ao21a", "exact"),
        ("city.orda-media.kz", "wl:orda-media.kz", "orda-media.kz", "watchlist_wildcard"),
    }
    assert outcome.matching == {"hosts": 8, "matches": 4}
    assert set(conn.execute("SELECT measurement_uid, outlet, host FROM core.ooni_outlet_measurement").fetchall()) == {
        ("exact", "TobolInfo", "tobolinfo.kz"), ("sub", "Radio Azattyq (Azattyk)", "rus.azattyq.org"),
        ("idn", "IDN Example", "пример.қаз"), ("wild", "Orda Media", "city.orda-media.kz")}
    # The look-alikes stay in the warehouse as measurements: evidence about other sites, not about outlets.
    assert conn.execute("SELECT count(*) FROM core.ooni_measurement").fetchone() == (9,)


def test_matches_follow_the_watchlist(conn, api, inbox, tmp_path):
    api.serve(LISTING, api.page(LISTING, [measurement("wild", "https://city.orda-media.kz/")]))
    write_watchlist(inbox, [("*.orda-media.kz", "Orda Media")])
    ingest(conn, api, inbox, tmp_path)
    assert conn.execute("SELECT outlet_id FROM core.ooni_host_match").fetchall() == [("wl:orda-media.kz",)]
    (inbox / "watchlist.csv").unlink()
    ingest(conn, api, inbox, tmp_path)
    assert conn.execute("SELECT count(*) FROM core.ooni_host_match").fetchone() == (0,)


def test_a_host_under_two_outlets_domains_belongs_to_the_more_specific_one(conn, api, inbox, tmp_path):
    # Nested domains of two outlets: example.kz and news.example.kz in the inbox watchlist; rus.azattyq.org listed
    # on its own inside Radio Azattyq's *.azattyq.org; kz.kursiv.media and kursiv.media both Kursiv's.
    write_watchlist(inbox, [("https://example.kz/", "Example"), ("https://news.example.kz/", "Example News"),
                            ("https://rus.azattyq.org/", "Azattyq Russian")])
    api.serve(LISTING, api.page(LISTING, [
        measurement("parent", "https://example.kz/", confirmed=True, when="2024-03-05T06:00:00Z"),
        measurement("sibling", "https://old.example.kz/", confirmed=True, when="2024-03-05T06:00:00Z"),
        measurement("child", "https://news.example.kz/a", confirmed=True, when="2024-03-05T06:00:00Z"),
        measurement("grandchild", "https://live.news.example.kz/", confirmed=True, when="2024-03-06T06:00:00Z"),
        measurement("edition", "https://rus.azattyq.org/a/1", confirmed=True, when="2024-03-05T06:00:00Z"),
        measurement("other_edition", "https://kaz.azattyq.org/", confirmed=True, when="2024-03-05T06:00:00Z"),
        measurement("kursiv", "https://kz.kursiv.media/", confirmed=True, when="2024-03-05T06:00:00Z"),
    ]))
    outcome = ingest(conn, api, inbox, tmp_path)

    assert outcome.confirmed_outlet_measurements == 7, "each measurement counts once"
    assert set(conn.execute(
        "SELECT host, outlet_id, outlet_domain, match_kind FROM core.ooni_host_match").fetchall()) == {
        ("example.kz", "wl:example.kz", "example.kz", "exact"),
        ("old.example.kz", "wl:example.kz", "example.kz", "subdomain"),
        ("news.example.kz", "wl:news.example.kz", "news.example.kz", "exact"),
        ("live.news.example.kz", "wl:news.example.kz", "news.example.kz", "subdomain"),
        ("rus.azattyq.org", "wl:rus.azattyq.org", "rus.azattyq.org", "exact"),
        ("kaz.azattyq.org", "azattyq", "azattyq.org", "subdomain"),
        ("kz.kursiv.media", "kursiv", "kz.kursiv.media", "exact"),
    }
    assert outcome.matching == {"hosts": 7, "matches": 7}
    assert sorted(conn.execute("SELECT measurement_uid, outlet FROM core.ooni_outlet_measurement").fetchall()) == [
        ("child", "Example News"), ("edition", "Azattyq Russian"), ("grandchild", "Example News"),
        ("kursiv", "Kursiv Media"), ("other_edition", "Radio Azattyq (Azattyk)"), ("parent", "Example"),
        ("sibling", "Example")]
    assert {(r["outlet"], r["host"], r["measurements"]) for r in ooni_blocking(conn, MARCH)["confirmed"]} == {
        ("Example", "example.kz", 1), ("Example", "old.example.kz", 1), ("Example News", "news.example.kz", 1),
        ("Example News", "live.news.example.kz", 1), ("Azattyq Russian", "rus.azattyq.org", 1),
        ("Radio Azattyq (Azattyk)", "kaz.azattyq.org", 1), ("Kursiv Media", "kz.kursiv.media", 1)}

    # Without the more specific outlet, its hosts go back to the enclosing one.
    write_watchlist(inbox, [("https://example.kz/", "Example")])
    ingest(conn, api, inbox, tmp_path)
    assert dict(conn.execute("SELECT measurement_uid, outlet FROM core.ooni_outlet_measurement "
                             "WHERE measurement_uid IN ('child', 'grandchild', 'edition')").fetchall()) == {
        "child": "Example", "grandchild": "Example", "edition": "Radio Azattyq (Azattyk)"}


def test_the_migration_keeps_only_the_most_specific_stored_matches(database_factory, tmp_path):
    with psycopg.connect(database_factory()) as conn:
        migrate(conn, migrations_before("0051", tmp_path / "before"))
        conn.execute(
            """INSERT INTO core.ooni_host_match (host, outlet_id, outlet, outlet_domain, matched_host_unicode, match_kind)
               VALUES ('news.example.kz', 'wl:example.kz', 'Example', 'example.kz', 'news.example.kz', 'subdomain'),
                      ('news.example.kz', 'wl:news.example.kz', 'Example News', 'news.example.kz', 'news.example.kz',
                       'exact'),
                      ('old.example.kz', 'wl:example.kz', 'Example', 'example.kz', 'old.example.kz', 'subdomain')""")
        conn.commit()
        migrate(conn)
        assert sorted(conn.execute("SELECT host, outlet_id FROM core.ooni_host_match").fetchall()) == [
            ("news.example.kz", "wl:news.example.kz"), ("old.example.kz", "wl:example.kz")]


# -- what analysts and editors see ----------------------------------------------------------------------

def outcomes_of_march(api) -> None:
    api.serve(LISTING, api.page(LISTING, [
        measurement("c1", "https://tobolinfo.kz/", confirmed=True, when="2024-03-05T06:00:00Z", asn="AS9198"),
        measurement("c2", "https://www.tobolinfo.kz/x", confirmed=True, when="2024-03-20T06:00:00Z", asn="AS21299"),
        measurement("a1", "https://vlast.kz/", when="2024-03-10T06:00:00Z"),
        measurement("f1", "https://vlast.kz/", anomaly=True, failure=True, when="2024-03-10T07:00:00Z"),
        measurement("ok", "https://vlast.kz/", anomaly=False, when="2024-03-10T08:00:00Z"),
        # 20:00 UTC on March 31 is April 1 in Almaty: April's, not March's.
        measurement("c3", "https://vlast.kz/", confirmed=True, when="2024-03-31T20:00:00Z"),
        # Confirmed, but not a monitored outlet.
        measurement("c4", "https://example.org/", confirmed=True, when="2024-03-12T06:00:00Z"),
    ]))


def test_confirmed_blocking_is_told_apart_from_an_anomaly_only(conn, api, inbox, tmp_path):
    outcomes_of_march(api)
    outcome = ingest(conn, api, inbox, tmp_path)

    assert dict(conn.execute("SELECT measurement_uid, outcome FROM core.ooni_measurement").fetchall()) == {
        "c1": "confirmed", "c2": "confirmed", "a1": "anomaly", "f1": "failure", "ok": "ok", "c3": "confirmed",
        "c4": "confirmed"}
    assert outcome.confirmed_outlet_measurements == 3
    march = ooni_blocking(conn, MARCH)
    assert march == {"anomaly_only": 1, "confirmed": [
        {"outlet": "TobolInfo", "host": "tobolinfo.kz", "probe_cc": "KZ", "networks": "AS9198, AS21299",
         "measurements": 2, "first_day": dt.date(2024, 3, 5), "last_day": dt.date(2024, 3, 20)}]}
    april = ooni_blocking(conn, dt.date(2024, 4, 1))
    assert [(r["outlet"], r["first_day"]) for r in april["confirmed"]] == [("Vlast.kz", dt.date(2024, 4, 1))]
    assert ooni_blocking(conn, dt.date(2024, 2, 1)) == {"confirmed": [], "anomaly_only": 0}


def month_drafts(conn, tmp_path) -> dict[str, str]:
    monthly.stage(conn, MARCH, "ooni-draft")
    data = collect(conn, MARCH, "ooni-draft")
    monthly.discard(conn, MARCH, "ooni-draft", tmp_path / "scratch")
    charts = {"groups": "groups.png", "regions": "regions.png"}
    return {language: render_markdown(data, language, charts=charts) for language in ("en", "ru")}


def test_the_draft_lists_confirmed_blocking_of_outlets_in_both_languages(conn, api, inbox, tmp_path):
    outcomes_of_march(api)
    ingest(conn, api, inbox, tmp_path)
    drafts = month_drafts(conn, tmp_path)

    en, ru = drafts["en"], drafts["ru"]
    assert "OONI Probe measurements confirmed blocking of these monitored outlets in March 2024" in en
    assert "| TobolInfo (tobolinfo.kz) | KZ | AS9198, AS21299 | 2 | March 5 – March 20 |" in en
    assert "Besides these, 1 measurement of monitored outlets in March 2024 showed an anomaly only" in en
    assert "Измерения OONI Probe подтвердили блокировку этих отслеживаемых СМИ в марте 2024 года" in ru
    assert "| TobolInfo (tobolinfo.kz) | KZ | AS9198, AS21299 | 2 | 5 марта – 20 марта |" in ru
    assert "в марте 2024 года: 1 измерение отслеживаемых СМИ" in ru
    for text in (en, ru):
        assert "vlast.kz" not in text and "example.org" not in text, "April's and unmonitored sites are not March's"


def test_the_draft_says_nothing_of_ooni_without_confirmed_blocking(conn, api, inbox, tmp_path):
    api.serve(LISTING, api.page(LISTING, [measurement("a1", "https://tobolinfo.kz/", when="2024-03-10T06:00:00Z")]))
    ingest(conn, api, inbox, tmp_path)
    # The anomaly was loaded and matched to the outlet: the draft is silent because it is no proof of blocking.
    assert conn.execute("SELECT measurement_uid, outlet, outcome, measured_on FROM core.ooni_outlet_measurement"
                        ).fetchall() == [("a1", "TobolInfo", "anomaly", dt.date(2024, 3, 10))]
    assert ooni_blocking(conn, MARCH) == {"confirmed": [], "anomaly_only": 1}
    drafts = month_drafts(conn, tmp_path)
    assert "OONI" not in drafts["en"] and "OONI" not in drafts["ru"]

"""OONI web_connectivity measurements: pages of the OONI measurements API into typed records.

The API (``/api/v1/measurements?probe_cc=KZ&test_name=web_connectivity&...``) lists measurements as JSON
pages of ``results`` with ``metadata.next_url`` for the next page. One result, as the listing gives it::

    {"measurement_uid": "20240315101112.123456_KZ_webconnectivity_0123456789abcdef",
     "input": "https://www.azattyq.org/", "anomaly": true, "confirmed": true, "failure": false,
     "measurement_start_time": "2024-03-15T10:11:12Z", "probe_asn": "AS9198", "probe_cc": "KZ",
     "scores": {"blocking_general": 1.0, ...}, "test_name": "web_connectivity", "report_id": "...",
     "measurement_url": "https://api.ooni.io/api/v1/raw_measurement?measurement_uid=..."}

``confirmed`` means OONI found proof of blocking (a known block page); ``anomaly`` alone only that the
site behaved differently from OONI's control, which is often a flaky network or a site down: the two are
kept apart all the way to the draft. ``probe_asn`` is ``"AS9198"`` in the listing and an integer in other
endpoints; both are read. The measured URL's host is normalised the way register entries and the
watchlist are (``normalize.domains``), so it can be matched to the monitored outlets.

A result that cannot be read becomes a problem ("page 2, result 7 (uid …): reason"), never an exception:
the rest of the page is read. That includes a result the warehouse could not store, which would otherwise fail
the COPY of the whole reading: text with a NUL character or a lone surrogate (the JSON escapes ``\\u0000`` and
``\\ud800`` decode to them), scores with NaN or Infinity (Python's json reads them, jsonb does not) or a NUL,
a start time before OONI existed or beyond what a timestamp holds. The same measurement listed twice (offset
pagination shifts when new measurements arrive between two pages) is kept once.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field

from ..normalize.domains import InvalidHost, is_ip, normalize_host, url_host
from .registry_common import keep_problem

TEST_NAME = "web_connectivity"
# What the warehouse keeps of a result, in core.ooni_measurement's column order (see RECORD_COLUMNS).
RECORD_COLUMNS = ("measurement_uid", "test_name", "input", "host", "host_unicode", "probe_cc", "probe_asn",
                  "measurement_start_time", "anomaly", "confirmed", "failure", "scores", "report_id",
                  "measurement_url")
_ASN = re.compile(r"^(?:AS)?(\d{1,10})$", re.IGNORECASE)
_COUNTRY = re.compile(r"^[A-Z]{2}$")
MAX_UID_LENGTH = 200
# OONI Probe's first measurements are from 2012: an earlier start time is a probe's broken clock (or 0001-01-01).
EARLIEST_START = dt.datetime(2012, 1, 1, tzinfo=dt.timezone.utc)


class BadResult(ValueError):
    """One result that cannot be taken as a measurement; the text says why."""


@dataclass(frozen=True)
class Measurement:
    measurement_uid: str
    test_name: str
    input: str
    host: str | None           # ascii (punycode), no www.; None when the input is an IP address
    host_unicode: str | None
    probe_cc: str
    probe_asn: int
    measurement_start_time: dt.datetime   # timezone-aware (UTC unless the API said otherwise)
    anomaly: bool
    confirmed: bool
    failure: bool | None       # absent in some listings
    scores: dict | None
    report_id: str | None
    measurement_url: str | None

    @property
    def outcome(self) -> str:
        """OONI's reading, strongest first: confirmed blocking, failed measurement, anomaly only, ok."""
        if self.confirmed:
            return "confirmed"
        if self.failure:
            return "failure"
        return "anomaly" if self.anomaly else "ok"

    def row(self) -> tuple:
        return tuple(getattr(self, c) for c in RECORD_COLUMNS)


@dataclass
class MeasurementBatch:
    """What the reader made of some pages: records, and why the others were left out."""

    records: list[Measurement] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    results_read: int = 0
    rejected: int = 0
    duplicates: int = 0
    _seen: set[str] = field(default_factory=set, repr=False)

    def problem(self, text: str) -> None:
        self.rejected += 1
        keep_problem(self.problems, text)

    def add_page(self, results: list, page: int = 1) -> None:
        """Read one page's ``results``; ``page`` numbers the problems."""
        for number, result in enumerate(results, start=1):
            self.results_read += 1
            uid = result.get("measurement_uid") if isinstance(result, dict) else None
            where = f"page {page}, result {number}"
            if isinstance(uid, str) and uid:
                where += f" ({_shown_uid(uid)})"
            try:
                record = read_result(result)
            except BadResult as error:
                self.problem(f"{where}: {error}")
                continue
            if record.measurement_uid in self._seen:
                self.duplicates += 1
                continue
            self._seen.add(record.measurement_uid)
            self.records.append(record)


def _unstorable(text: str) -> str | None:
    """Why PostgreSQL cannot store ``text`` (text and jsonb refuse NUL; UTF-8 has no lone surrogates), or None."""
    if "\x00" in text:
        return "a NUL character"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "a lone surrogate (not UTF-8)"
    return None


def _plausible_uid(uid: str) -> bool:
    # isprintable() is false for control characters (NUL among them), lone surrogates and every space but " ".
    return len(uid) <= MAX_UID_LENGTH and uid.isprintable() and " " not in uid


def _shown_uid(uid: str) -> str:
    """The uid as a problem text shows it: as given when it could be an id, else quoted with escapes and cut,
    so a NUL, a surrogate or a megabyte of text in it cannot break the storage of the problem itself."""
    return uid if _plausible_uid(uid) else repr(uid[:60])


def _flag(result: dict, name: str, required: bool = True) -> bool | None:
    value = result.get(name)
    if isinstance(value, bool):
        return value
    if value is None and not required:
        return None
    raise BadResult(f"{name} is {value!r}, not true or false")


def _text(result: dict, name: str) -> str | None:
    value = result.get(name)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise BadResult(f"{name} is {value!r}, not a text")
    reason = _unstorable(value)
    if reason:
        raise BadResult(f"{name} {value[:60]!r} contains {reason}")
    return value


def parse_start_time(value) -> dt.datetime:
    """``2024-03-15T10:11:12Z`` (the listing) or ``2024-03-15 10:11:12`` (raw measurements), UTC if no offset."""
    if not isinstance(value, str) or not value.strip():
        raise BadResult(f"measurement_start_time is {value!r}, not a date and time")
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise BadResult(f"measurement_start_time {value!r} is not a date and time") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    try:
        moment.astimezone(dt.timezone.utc)
    except OverflowError:  # 9999-12-31T23:00-05:00 is in year 10000 in UTC, 0001-01-01T00:00+05:00 in year 0
        raise BadResult(f"measurement_start_time {value!r} is out of range") from None
    if moment < EARLIEST_START:
        raise BadResult(f"measurement_start_time {value!r} is before OONI's first measurements (2012)")
    return moment


def parse_asn(value) -> int:
    """``AS9198``, ``"9198"`` or ``9198`` as 9198."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**32:
        return value
    if isinstance(value, str):
        match = _ASN.match(value.strip())
        if match and 0 < int(match.group(1)) < 2**32:
            return int(match.group(1))
    raise BadResult(f"probe_asn is {value!r}, not an AS number")


def _scores(value) -> dict | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):  # the measurement-meta endpoint gives scores as a JSON text
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            raise BadResult("scores is not valid JSON") from None
    if not isinstance(value, dict):
        raise BadResult(f"scores is {type(value).__name__}, not an object")
    try:
        json.dumps(value, allow_nan=False)
    except ValueError:
        raise BadResult("scores hold NaN or Infinity, which JSON does not allow") from None
    except RecursionError:
        raise BadResult("scores are nested too deep") from None
    reason = _unstorable_json(value)
    if reason:
        raise BadResult(f"scores contain {reason}")
    return value


def _unstorable_json(value) -> str | None:
    """Why jsonb cannot store one of the texts (keys and values) in ``value``, or None."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            reason = _unstorable(item)
            if reason:
                return reason
        elif isinstance(item, dict):
            pending += [*item.keys(), *item.values()]
        elif isinstance(item, list):
            pending += item
    return None


def _is_ip_host(raw_host: str) -> bool:
    """``1.2.3.4``, ``1.2.3.4:80``, ``[::1]:80``, ``user@1.2.3.4``: an address, not a site's name."""
    host = raw_host.rsplit("@", 1)[-1]
    if host.startswith("["):
        return True
    if host.count(":") == 1:
        host = host.split(":", 1)[0]
    return is_ip(host)


def _host_of(measured: str | None) -> tuple[str | None, str | None]:
    if not measured:
        raise BadResult("no input URL")
    raw_host = url_host(measured)
    if not raw_host:
        raise BadResult(f"input {measured!r} has no host")
    if _is_ip_host(raw_host):
        return None, None  # an IP address is a valid input but names no site: kept, never matched
    try:
        return normalize_host(raw_host)
    except InvalidHost as error:
        raise BadResult(f"input {measured!r}: {error}") from None


def _country(value) -> str:
    if not isinstance(value, str) or not _COUNTRY.match(value.strip().upper()):
        raise BadResult(f"probe_cc is {value!r}, not a two-letter country code")
    return value.strip().upper()


def _test_name(result: dict) -> str:
    name = _text(result, "test_name") or TEST_NAME  # absent: the listing was asked for web_connectivity
    if name != TEST_NAME:
        raise BadResult(f"test_name is {name!r}, not {TEST_NAME}")
    return name


def _uid(value) -> str:
    if not isinstance(value, str) or not value.strip():
        raise BadResult("no measurement_uid")
    uid = value.strip()
    reason = _unstorable(uid)
    if reason:
        raise BadResult(f"measurement_uid {uid[:60]!r} contains {reason}")
    if not _plausible_uid(uid):
        raise BadResult(f"measurement_uid {uid[:60]!r} is not an OONI measurement id")
    return uid


def read_result(result) -> Measurement:
    """One result of the listing as a Measurement; BadResult gives every reason it cannot be one."""
    if not isinstance(result, dict):
        raise BadResult(f"not a JSON object but {type(result).__name__}")
    values: dict = {}
    reasons: list[str] = []

    def take(name: str, read) -> None:
        try:
            values[name] = read()
        except BadResult as error:
            reasons.append(str(error))

    take("measurement_uid", lambda: _uid(result.get("measurement_uid")))
    take("test_name", lambda: _test_name(result))
    take("input", lambda: _text(result, "input"))
    take("host", lambda: _host_of(values.get("input")) if "input" in values else (None, None))
    take("probe_cc", lambda: _country(result.get("probe_cc")))
    take("probe_asn", lambda: parse_asn(result.get("probe_asn")))
    take("measurement_start_time", lambda: parse_start_time(result.get("measurement_start_time")))
    take("anomaly", lambda: _flag(result, "anomaly"))
    take("confirmed", lambda: _flag(result, "confirmed"))
    take("failure", lambda: _flag(result, "failure", required=False))
    take("scores", lambda: _scores(result.get("scores")))
    take("report_id", lambda: _text(result, "report_id"))
    take("measurement_url", lambda: _text(result, "measurement_url"))
    if reasons:
        raise BadResult("; ".join(reasons))
    values["host"], values["host_unicode"] = values["host"]
    return Measurement(**values)


def read_pages(pages: list[list]) -> MeasurementBatch:
    """Read the ``results`` of several pages (page numbers from 1)."""
    batch = MeasurementBatch()
    for number, results in enumerate(pages, start=1):
        batch.add_page(results, number)
    return batch

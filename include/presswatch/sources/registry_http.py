"""Register feeds over HTTP, with ``requests``: timeouts, retries, conditional GET, ``next_url`` pagination.

* Every request has a connect and a read timeout.
* 429 and 5xx answers, connection errors, timeouts and bodies cut short (a connection closed before the
  promised length, a broken gzip stream) are retried with exponential backoff; a ``Retry-After`` header
  (seconds or an HTTP date) is honoured, capped at ``max_wait``.
* ``etag``/``last_modified`` from the previous fetch make the request conditional; a 304 means nothing new.
* ``iter_json_pages`` / ``fetch_json_pages`` follow ``metadata.next_url`` (OONI-style JSON) until it is null.

Anything that still fails, and any other error of ``requests`` (an invalid URL, too many redirects), raises
``FetchError`` with the URL and the reason; the caller records it and the warehouse keeps its earlier state.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import logging
import time
from dataclasses import dataclass
from typing import Callable, Iterator, NamedTuple
from urllib.parse import urlsplit

import requests

log = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
DEFAULT_TIMEOUT = (10.0, 120.0)  # connect, read
# Errors worth another attempt: the network, not the request. ChunkedEncodingError is also what a body shorter
# than its Content-Length raises, ContentDecodingError a gzip stream cut short.
RETRY_ERRORS = (requests.Timeout, requests.ConnectionError, requests.exceptions.ChunkedEncodingError,
                requests.exceptions.ContentDecodingError)


class FetchError(RuntimeError):
    """An HTTP source could not be read: the snapshot is not taken."""


@dataclass
class FetchResult:
    url: str
    status_code: int
    body: bytes
    etag: str | None
    last_modified: str | None
    attempts: int

    @property
    def not_modified(self) -> bool:
        return self.status_code == 304


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return max(0.0, (moment - dt.datetime.now(dt.timezone.utc)).total_seconds())


def fetch(url: str, *, session: requests.Session | None = None, etag: str | None = None,
          last_modified: str | None = None, timeout: tuple[float, float] = DEFAULT_TIMEOUT,
          max_attempts: int = 4, backoff: float = 2.0, max_wait: float = 300.0,
          sleep: Callable[[float], None] = time.sleep) -> FetchResult:
    """GET ``url`` with retries; conditional when ``etag``/``last_modified`` are given."""
    session = session or requests.Session()
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    reason = "no attempt made"
    for attempt in range(1, max_attempts + 1):
        wait = backoff * 2 ** (attempt - 1)
        try:
            response = session.get(url, headers=headers, timeout=timeout)
        except RETRY_ERRORS as error:
            reason = f"{type(error).__name__}: {error}"
        except requests.RequestException as error:  # another attempt would fail the same way
            raise FetchError(f"{url}: {type(error).__name__}: {error}") from None
        else:
            if response.status_code in RETRY_STATUSES:
                reason = f"HTTP {response.status_code}"
                told = _retry_after(response.headers.get("Retry-After"))
                if told is not None:
                    wait = told
            elif response.status_code == 304 or response.ok:
                return FetchResult(url, response.status_code, response.content if response.ok else b"",
                                   response.headers.get("ETag", etag), response.headers.get("Last-Modified", last_modified),
                                   attempt)
            else:
                raise FetchError(f"{url}: HTTP {response.status_code} {response.reason}")
        if attempt < max_attempts:
            wait = min(wait, max_wait)
            log.warning("%s: %s; retry %d of %d in %.1f s", url, reason, attempt, max_attempts - 1, wait)
            sleep(wait)
    raise FetchError(f"{url}: gave up after {max_attempts} attempts ({reason})")


class JsonPage(NamedTuple):
    url: str
    data: dict     # the parsed page: ``results`` and ``metadata``
    body: bytes    # as received, to keep as raw input


def iter_json_pages(url: str, *, max_pages: int = 1000, **options) -> Iterator[JsonPage]:
    """Every page of an OONI-style listing in order, following ``metadata.next_url`` until it is null.

    A page that cannot be fetched or read raises ``FetchError`` when it is reached: the pages before it
    have been handed out already, so a caller can keep them (measurements are independent facts). So does a
    page whose ``metadata`` is not an object or whose ``next_url`` is not an absolute http(s) URL, after the
    page itself: where the listing goes on is then unknown.
    """
    pages = 0
    while url:
        pages += 1
        if pages > max_pages:
            raise FetchError(f"more than {max_pages} pages; stopped at {url}")
        response = fetch(url, **options)
        try:
            page = json.loads(response.body)
        except (ValueError, RecursionError) as error:  # also bad UTF-8 and integers of more than 4300 digits
            raise FetchError(f"{url}: not valid JSON ({error})") from None
        if not isinstance(page, dict) or not isinstance(page.get("results"), list):
            raise FetchError(f"{url}: JSON without a results list")
        yield JsonPage(url, page, response.body)
        url = _next_url(url, page.get("metadata"))


def _next_url(url: str, metadata) -> str | None:
    """The page after ``url`` as its ``metadata`` names it; None at the last page, FetchError when unusable."""
    if metadata is None:
        return None
    if not isinstance(metadata, dict):
        raise FetchError(f"{url}: metadata is {type(metadata).__name__}, not an object")
    next_url = metadata.get("next_url")
    if next_url is None or next_url == "":
        return None
    if not _absolute_http_url(next_url):
        raise FetchError(f"{url}: next_url {repr(next_url)[:200]} is not an absolute http(s) URL")
    return next_url


def _absolute_http_url(value) -> bool:
    # Printable ASCII without spaces: an API's URL is percent-encoded, and the text goes into problem reports.
    if not (isinstance(value, str) and value.isascii() and value.isprintable() and " " not in value):
        return False
    try:
        parts = urlsplit(value)
        return parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:  # http://[::1 and the like
        return False


def fetch_json_pages(url: str, *, max_pages: int = 1000, **options) -> list[dict]:
    """Every page of an OONI-style listing: ``results`` of each page, following ``metadata.next_url``."""
    results: list[dict] = []
    for page in iter_json_pages(url, max_pages=max_pages, **options):
        results.extend(page.data["results"])
    return results


# Formats an HTTP source may have (Airflow Variable registry_http_sources): register dumps, OONI listings.
SOURCE_FORMATS = ("zi_csv", "xml", "ooni")


def check_source_formats(sources: list[dict]) -> list[dict]:
    """``sources`` unchanged when every ``format`` is known; a ValueError naming the others otherwise.

    An unknown format would otherwise be read as an XML dump and fail with a misleading reason.
    """
    unknown = [f"{s.get('name')}: {s.get('format')!r}" for s in sources if s.get("format") not in SOURCE_FORMATS]
    if unknown:
        raise ValueError(f"HTTP sources with an unknown format ({', '.join(unknown)}); "
                         f"expected one of {', '.join(SOURCE_FORMATS)}")
    return sources

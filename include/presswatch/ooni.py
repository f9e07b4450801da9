"""OONI measurements: read the configured listings, load them by measurement_uid, match the monitored outlets.

``ingest_ooni(conn, sources, dest)`` is the whole path, callable without a scheduler (the DAG
``registry_notices`` calls it for its HTTP sources of format ``ooni``; with none configured it is never
called and nothing goes to the network):

1. per source, fetch the listing page by page (``metadata.next_url``), keeping every page as received
   under ``dest/<source>/<time>/page-NNN.json``; 429 and 5xx are retried (``registry_http.fetch``);
2. read the results into typed measurements (``sources.registry_ooni``), bad ones listed with the reason;
3. in one transaction per source: a ``core.ooni_fetch`` row and the measurements merged by
   ``measurement_uid`` (``warehouse.ooni_load``);
4. match every measured host to the outlets watchlist (``core.ooni_host_match``).

A page that fails after others were read leaves the reading *partial*: the pages before it are loaded (each
measurement stands on its own, there is nothing to remove), and the next reading starts from the last
*complete* one. When the source URL sets no ``since``, presswatch asks for measurements since the day of its
last complete reading less the source's look-back for late uploads (``late_uploads``, 30 days unless the source
says otherwise); the first reading takes the API's default window (the last 30 days).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import psycopg

from . import settings
from .sources.registry_http import FetchError, iter_json_pages
from .sources.registry_ooni import MeasurementBatch
from .sources.registry_watchlist import load_watchlist
from .warehouse import ooni_load

log = logging.getLogger(__name__)

OONI_FORMAT = "ooni"
# Measurements reach the API when the probe uploads them, and a probe offline for weeks uploads weeks late. The
# API selects only by when a measurement was taken (since/until on measurement_start_time; no upload time), so
# one taken before the window asked for is never listed, however recently it arrived. Each reading therefore
# asks again for a trailing window before its last complete one: LATE_UPLOADS, unless the source sets
# "late_upload_days". Measurements read again are merged by measurement_uid, never doubled. 30 days is the
# API's own window for a first reading: a measurement uploaded within about a month of being taken is read, and
# a daily reading lists about 31 days, as a first reading does. A longer look-back catches later uploads and
# costs pages (and the API's daily quota) at every reading.
LATE_UPLOADS = dt.timedelta(days=30)
LATE_UPLOADS_OPTION = "late_upload_days"
MAX_LATE_UPLOAD_DAYS = 366
MAX_PAGES = 1000


def ooni_sources(sources: list[dict]) -> list[dict]:
    """The HTTP sources of format ``ooni`` (the others are register dumps)."""
    return [s for s in sources if s.get("format") == OONI_FORMAT]


def late_uploads(source: dict) -> dt.timedelta:
    """How far before its last complete reading ``source`` is read again: its ``late_upload_days`` (whole days,
    0 to MAX_LATE_UPLOAD_DAYS), else LATE_UPLOADS. A ValueError names the source when the value is not one."""
    days = source.get(LATE_UPLOADS_OPTION)
    if days is None:
        return LATE_UPLOADS
    if isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= MAX_LATE_UPLOAD_DAYS:
        raise ValueError(f"OONI source {source.get('name')}: {LATE_UPLOADS_OPTION} is {days!r}, "
                         f"not a whole number of days from 0 to {MAX_LATE_UPLOAD_DAYS}")
    return dt.timedelta(days=days)


@dataclass
class FetchOutcome:
    source: str
    url: str
    status: str  # complete, partial, failed
    fetch_id: int | None = None
    pages: int = 0
    results_read: int = 0
    counts: dict = field(default_factory=dict)
    rejected: int = 0
    duplicates: int = 0
    problems: list[str] = field(default_factory=list)

    def describe(self) -> str:
        text = (f"OONI {self.source}: {self.status}, {self.pages} pages, {self.results_read} results; "
                + ", ".join(f"{k} {v}" for k, v in self.counts.items())
                + f", rejected {self.rejected}, listed twice {self.duplicates}")
        if self.problems:
            text += f"; problems: {'; '.join(self.problems[:5])}"
        return text


@dataclass
class OoniOutcome:
    fetches: list[FetchOutcome] = field(default_factory=list)
    matching: dict = field(default_factory=dict)
    confirmed_outlet_measurements: int = 0

    @property
    def all_failed(self) -> bool:
        return bool(self.fetches) and all(f.status == "failed" for f in self.fetches)

    def describe(self) -> list[str]:
        lines = [f.describe() for f in self.fetches]
        lines.append(f"OONI hosts matched to monitored outlets: {self.matching.get('matches', 0)} "
                     f"of {self.matching.get('hosts', 0)} hosts measured")
        lines.append(f"OONI measurements confirming blocking of a monitored outlet: {self.confirmed_outlet_measurements}")
        return lines

    def as_dict(self) -> dict:
        return {"matching": self.matching, "confirmed_outlet_measurements": self.confirmed_outlet_measurements,
                "fetches": [{"source": f.source, "url": f.url, "status": f.status, "fetch_id": f.fetch_id,
                             "pages": f.pages, "results_read": f.results_read, "counts": f.counts,
                             "rejected": f.rejected, "duplicates": f.duplicates, "problems": f.problems[:20]}
                            for f in self.fetches]}


def with_since(url: str, since: dt.datetime | None) -> str:
    """``url`` asking only for measurements since the day of ``since`` (UTC), unless it already says ``since``.

    A date, not a time: the API reads ``since`` as ``YYYY-MM-DD`` (ooni/backend, ``list_measurements``) and
    answers 500 to a time of day; from the start of the day reads a few hours more, never fewer.
    """
    if since is None:
        return url
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    if any(name == "since" for name, _ in query):
        return url
    query.append(("since", since.astimezone(dt.timezone.utc).strftime("%Y-%m-%d")))
    return urlunsplit(parts._replace(query=urlencode(query)))


def _read_listing(url: str, folder, options: dict) -> tuple[str, int, MeasurementBatch, list[str], list[dict]]:
    """Fetch and read every page; returns status, pages read, the batch, fetch problems and the files kept."""
    batch = MeasurementBatch()
    problems: list[str] = []
    files: list[dict] = []
    pages = 0
    try:
        for page in iter_json_pages(url, max_pages=options.pop("max_pages", MAX_PAGES), **options):
            pages += 1
            path = folder / f"page-{pages:03d}.json"
            if pages == 1:
                folder.mkdir(parents=True, exist_ok=True)
            path.write_bytes(page.body)
            files.append({"path": str(path), "sha256": hashlib.sha256(page.body).hexdigest(),
                          "bytes": len(page.body), "url": page.url})
            batch.add_page(page.data["results"], pages)
    except FetchError as error:
        problems.append(f"page {pages + 1}: {error}")
        status = "partial" if pages else "failed"
    else:
        status = "complete"
    return status, pages, batch, problems, files


def ingest_source(conn: psycopg.Connection, source: dict, dest, **fetch_options) -> FetchOutcome:
    """Read one OONI listing and load it (one transaction). ``fetch_options`` go to ``registry_http.fetch``."""
    name = source["name"]
    url = with_since(source["url"], _since(conn, name, late_uploads(source)))
    conn.commit()  # no transaction stays open while the pages download
    folder = dest / name / dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%f")
    status, pages, batch, problems, files = _read_listing(url, folder, dict(fetch_options))
    outcome = FetchOutcome(name, url, status, pages=pages, results_read=batch.results_read,
                           rejected=batch.rejected, duplicates=batch.duplicates, problems=problems + batch.problems)
    with conn.transaction():
        outcome.fetch_id = ooni_load.record_fetch(conn, name, url, status, pages, batch, outcome.problems, files)
        outcome.counts = ooni_load.load_measurements(conn, batch, name, outcome.fetch_id)
    conn.commit()
    log.info(outcome.describe())
    return outcome


def _since(conn: psycopg.Connection, source: str, look_back: dt.timedelta) -> dt.datetime | None:
    last = ooni_load.last_complete_fetch(conn, source)
    return last - look_back if last else None


def ingest_ooni(conn: psycopg.Connection, sources: list[dict], dest, inbox: str | Path | None = None,
                **fetch_options) -> OoniOutcome:
    """Read every OONI source, load what was read, then match the measured hosts to the watchlist.

    ``sources``: ``{"name", "url", "format": "ooni"}``, optionally ``"late_upload_days"`` (``late_uploads``);
    ``dest``: folder for the pages as fetched; ``inbox`` for the watchlist extension ``<INBOX>/watchlist.csv``.
    A source with an invalid option is a ValueError before anything is requested.
    """
    dest = dest if hasattr(dest, "protocol") else Path(dest)  # a local path or an ObjectStoragePath
    outcome = OoniOutcome()
    for source in ooni_sources(sources):
        late_uploads(source)
    for source in ooni_sources(sources):
        outcome.fetches.append(ingest_source(conn, source, dest, **fetch_options))
    watchlist = load_watchlist(settings.inbox_dir(inbox))
    with conn.transaction():
        outcome.matching = ooni_load.match_hosts(conn, watchlist)
    conn.commit()
    (outcome.confirmed_outlet_measurements,) = conn.execute(
        "SELECT count(*) FROM core.ooni_outlet_measurement WHERE confirmed").fetchone()
    return outcome

"""Writers of register fixtures for the registry tests: z-i CSV dumps in windows-1251, XML dumps; a loopback
HTTP server for the feeds."""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable, Iterator

from include.presswatch.sources.registry_watchlist import INBOX_WATCHLIST

DECOYS = [
    "51.255.2.206;smartstor.ru;https://smartstor.ru/;суд;2а-778/2019;2019-01-28",
    "5.189.158.59;smartoff.net;https://smartoff.net/books/view/21129/;Мосгорсуд;определение о предварительном "
    "обеспечении по заявлению № 2И-0747/2019;2019-03-14",
    "104.27.190.63 | 104.27.191.63 | 2606:4700:3031:0000:0000:0000:681b:bf3f;smotret-kinogo.online;"
    "https://smotret-kinogo.online/4291-holop-news.html | https://smotret-kinogo.online/4291-holop.html;Мосгорсуд;"
    "определение о предварительном обеспечении по заявлению № 2И-0127/2020;2020-01-14",
    "195.210.46.37;snus-tobacco.ru;https://snus-tobacco.ru;суд;2а-5180/27-2019;2019-07-05",
    "195.210.46.37;snus-tobacco.ru;https://snus-tobacco.ru;суд;2а-3479/2019;2019-07-29",
    "1.2.3.4 | 1.2.3.0/24;decoy.com | *.decoy.com;http://decoy.com?test=x | http://decoy.com?test=y;;;2017-01-02",
    ';;;"org;string";id string;2017-01-02',
]


def write_dump(folder: Path, lines: list[str], updated: str | None = "2024-03-20 10:00:00 +0300",
               name: str = "dump.csv", encoding: str = "cp1251", newline_at_end: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    text = "\n".join(([f"Updated: {updated}"] if updated else []) + lines) + ("\n" if newline_at_end else "")
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return path


def write_watchlist(inbox: Path, rows: list[tuple[str, str]]) -> None:
    """<INBOX>/watchlist.csv in the Citizen Lab layout: (url, notes)."""
    lines = ["url,category_code,category_description,date_added,source,notes"]
    lines += [f"{url},NEWS,News Media,2024-01-01,test,{notes}" for url, notes in rows]
    (inbox / INBOX_WATCHLIST).write_text("\n".join(lines) + "\n", encoding="utf-8")


# What a loopback server answers to a GET: the request path and headers → (status, headers, body, delay in seconds).
# A Content-Length in the headers larger than the body makes an answer cut short (the connection then closes).
Responder = Callable[[str, dict], tuple[int, dict, bytes, float]]


@contextmanager
def loopback_server(respond: Responder) -> Iterator[str]:
    """A real HTTP server on 127.0.0.1 answering GETs with ``respond``; yields its base URL."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            status, headers, body, delay = respond(self.path, dict(self.headers))
            if delay:
                time.sleep(delay)
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            if "Content-Length" not in headers:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()

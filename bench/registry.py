"""Registry ingest against a plain COPY of the same file, measured in one run. Not part of pytest.

Generates a 1,000,000-row z-i dump (cp1251; multi-value IPs, domains and URLs; wildcards, empty domains,
Cyrillic hosts; a few watched outlets hidden among the decoys) and the snapshot before it (~990k rows: 10k
rows fewer, 5k rows that disappear, 2k rows with other IPs). After loading that previous snapshot
(untimed), it measures:

* limit: a plain ``COPY`` of the file's lines into an unlogged one-column table (best of two);
* full ingest: parse, key, diff against the previous snapshot, match, load (``ingest_snapshot``);
* unchanged: the same data under a new ``Updated:`` line (a fresh download of an unchanged register);

and prints the ratios against the limit and the peak memory of this process.

    PYTHONPATH=. .venv/bin/python bench/registry.py [--rows 1000000] [--write-readme]

Uses WAREHOUSE_URL's server when set, else the embedded one; works in a database of its own, dropped at
the end. Files go to bench/out/ (ignored by git).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import sys
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from include.presswatch.sources import registry_csv  # noqa: E402
from include.presswatch.sources.registry_watchlist import load_watchlist  # noqa: E402
from include.presswatch.warehouse import registry_load  # noqa: E402
from include.presswatch.warehouse.migrations import migrate  # noqa: E402
from benchkit import scratch_database, write_readme_section  # noqa: E402

OUT = ROOT / "bench" / "out" / "registry"
TARGETS = {"full": 5.0, "unchanged": 1.2}
ORGS = ["суд", "Мосгорсуд", "Генпрокуратура", "Роскомнадзор", "ФНС", "МВД", "Роспотребнадзор", "ФСКН"]
WATCHED = ["azh.kz", "tengrinews.kz", "rus.azattyq.org", "vlast.kz", "*.orda.kz"]


def _row(i: int, rng: random.Random, ip_variant: int = 0) -> str:
    r = rng.random()
    ips = [f"{(i * 7 + ip_variant) % 223 + 1}.{i % 251}.{(i // 251) % 256}.{(i + ip_variant) % 254 + 1}"]
    if r < 0.25:
        ips += [f"{(i * 13) % 223 + 1}.{(i * 3) % 256}.{(i // 7) % 256}.0/24"]
    if r < 0.08:
        ips += [f"2606:4700:3031:0000:0000:0000:{i % 65536:04x}:{ip_variant:04x}"]
    host = f"site{i}-{'kino' if r < 0.5 else 'bet'}.{'ru' if r < 0.7 else 'com'}"
    if i % 99_991 == 0:
        host = WATCHED[(i // 99_991) % len(WATCHED)]
    domains = host
    if r < 0.03:
        domains = f"{host} | *.{host}"
    elif r < 0.04:
        domains = f"сайт{i}.рф"
    urls = f"https://{host.lstrip('*.')}/page/{i % 1000}"
    if r < 0.2:
        urls += f" | http://{host.lstrip('*.')}/news?id={i}|{i % 7}"
    if 0.95 < r < 0.97:
        domains = ""
    number = ["б/н", f"2а-{i % 9999}/2019", f"27-31-2020/Ид{i % 5000}-20 ",
              f"определение о предварительном обеспечении по заявлению № 2И-{i % 3000:04d}/2020"][i % 4]
    date = f"{2013 + i % 12}-{1 + i % 12:02d}-{1 + i % 28:02d}"
    org = ORGS[i % len(ORGS)]
    if i % 50_000 == 7:
        number = f'"{number};доп."'
    return f"{' | '.join(ips)};{domains};{urls};{org};{number};{date}\n"


def generate(rows: int) -> tuple[Path, Path, Path]:
    """(previous, current, current again under a new Updated: line); reused when already there."""
    OUT.mkdir(parents=True, exist_ok=True)
    previous, current, again = (OUT / n / "dump.csv" for n in ("1-previous", "2-current", "3-unchanged"))
    marker = OUT / f"rows-{rows}"
    if marker.exists() and all(p.exists() for p in (previous, current, again)):
        return previous, current, again
    for path in (previous, current, again):
        path.parent.mkdir(parents=True, exist_ok=True)
    keep = rows - rows // 100            # previous snapshot: the first 99% ...
    vanished = rows // 200               # ... plus rows that are gone from the current one
    changed = set(range(0, keep, max(1, keep // (rows // 500))))  # rows whose IPs move
    with open(previous, "w", encoding="cp1251", newline="") as prev:
        prev.write("Updated: 2024-03-27 12:00:00 +0300\n")
        for i in range(keep):
            prev.write(_row(i, random.Random(i)))
        for i in range(rows, rows + vanished):
            prev.write(_row(i, random.Random(i)))
    body = []
    for i in range(rows):
        body.append(_row(i, random.Random(i), ip_variant=1 if i in changed else 0))
    text = "".join(body)
    current.write_bytes(("Updated: 2024-03-28 12:00:00 +0300\n" + text).encode("cp1251"))
    again.write_bytes(("Updated: 2024-03-28 18:00:00 +0300\n" + text).encode("cp1251"))
    for stale in OUT.glob("rows-*"):
        stale.unlink()
    marker.touch()
    return previous, current, again


def plain_copy(conn: psycopg.Connection, path: Path) -> float:
    """The limit: COPY every line of the file, as text, into an unlogged one-column table."""
    conn.execute("DROP TABLE IF EXISTS bench_lines")
    conn.execute("CREATE UNLOGGED TABLE bench_lines (line text)")
    conn.commit()
    start = time.perf_counter()
    with conn.cursor() as cur:
        with cur.copy("COPY bench_lines (line) FROM STDIN (FORMAT csv, DELIMITER E'\\x1f', QUOTE E'\\x1e', ENCODING 'WIN1251')") as copy:
            with open(path, "rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    copy.write(block)
    conn.commit()
    elapsed = time.perf_counter() - start
    conn.execute("DROP TABLE bench_lines")
    conn.commit()
    return elapsed


def ingest(conn: psycopg.Connection, folder: Path, watchlist) -> tuple[float, registry_load.SnapshotOutcome]:
    snapshot = registry_csv.discover(folder.parent)
    snapshot = next(s for s in snapshot if s.origin == folder.name)
    start = time.perf_counter()
    outcome = registry_load.ingest_snapshot(conn, snapshot, watchlist)
    conn.commit()
    if outcome.large_change:  # as ingest_registry does
        registry_load.maintain(conn)
    return time.perf_counter() - start, outcome


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--write-readme", action="store_true", help="record the numbers in bench/README.md")
    parser.add_argument("--steps", action="store_true", help="log the time of every step of the ingest")
    args = parser.parse_args()
    if args.steps:
        import logging

        logging.basicConfig(format="  %(message)s")
        logging.getLogger("include.presswatch.warehouse.registry_load").setLevel(logging.DEBUG)

    started = time.perf_counter()
    previous, current, again = generate(args.rows)
    print(f"dump: {args.rows} rows, {current.stat().st_size / 1e6:.0f} MB (generated in {time.perf_counter() - started:.0f} s)")
    with scratch_database("presswatch_bench_registry") as url:
        with psycopg.connect(url) as conn:
            migrate(conn)
            watchlist = load_watchlist(None)
            registry_load.sync_watchlist(conn, watchlist)
            conn.commit()
            setup, first = ingest(conn, previous.parent, watchlist)
            print(f"previous snapshot loaded (untimed): {first.rows_loaded} entries in {setup:.1f} s")
            limit = min(plain_copy(conn, current), plain_copy(conn, current))
            full, outcome = ingest(conn, current.parent, watchlist)
            unchanged, outcome2 = ingest(conn, again.parent, watchlist)
            limit = min(limit, plain_copy(conn, current))
            matches = conn.execute("SELECT count(*) FROM core.registry_match").fetchone()[0]
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    ratio_full, ratio_unchanged = full / limit, unchanged / limit
    lines = [
        f"Run {dt.date.today():%Y-%m-%d}, {args.rows:,} rows ({current.stat().st_size / 1e6:.0f} MB cp1251), "
        f"embedded PostgreSQL 16, {os.cpu_count()} CPUs.",
        "",
        "| measure | seconds | ratio to plain COPY | target |",
        "|---|---:|---:|---:|",
        f"| plain COPY of the lines into an unlogged table (limit) | {limit:.2f} | 1.00 | |",
        f"| full ingest: parse, key, diff vs ~990k, match, load | {full:.2f} | {ratio_full:.2f} | ≤ {TARGETS['full']} (aim 3) |",
        f"| unchanged snapshot (new Updated: line) | {unchanged:.2f} | {ratio_unchanged:.2f} | ≤ {TARGETS['unchanged']} |",
        "",
        f"Full ingest: {outcome.status}, {outcome.counts}. Unchanged: {outcome2.status}, {outcome2.counts}. "
        f"Matches: {matches}. Peak memory of the Python process: {peak_mb:.0f} MB (target < 2048).",
    ]
    print("\n".join(lines))
    ok = ratio_full <= TARGETS["full"] and ratio_unchanged <= TARGETS["unchanged"] and peak_mb < 2048
    print("targets met" if ok else "TARGETS MISSED")
    if args.write_readme:
        write_readme_section("registry", lines)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

"""Correspondent intake against its limit and a naive peer, measured in one run. Not part of pytest.

Generates 200 workbooks x 500 rows (100,000 reports) in mixed layouts: Russian xlsx under a title block
after an instructions sheet, English xlsx with other column order and an extra column, Kazakh xlsx with
dates as text, Excel 97-2003 .xls, OpenDocument .ods; about 3% of rows are bad. Then it measures:

* limit: a bare calamine read of every sheet of the same files (``to_python``), nothing else;
* full intake: ``ingest_inbox`` — read, find headers, normalize, validate with Great Expectations, load with
  COPY into raw/core/quarantine, intake reports written to storage, legal cases refreshed (the files are
  prepared by worker processes, one per CPU, as for any inbox of 8 files or more);
* naive peer: openpyxl (read-only) into a pandas DataFrame per sheet, ``DataFrame.to_sql`` via SQLAlchemy
  into a scratch table — no header search, no normalization, no checks;

and prints the ratios, the CPU each part used, and the peak memory of this process and of the largest
worker. The limit is the fastest of three reads and the intake the fastest of ``--runs`` (3), each into a new
empty warehouse: the machines this runs on drift by a third within minutes, and best-of-N on both sides
compares the two at their best. GX is imported and warmed up before the clock
starts (a per-process constant of several seconds, printed separately).

    PYTHONPATH=. .venv/bin/python bench/intake.py [--files 200] [--rows 500] [--runs 3] [--write-readme] [--profile]

Uses WAREHOUSE_URL's server when set, else the embedded one; works in a database of its own, dropped at
the end. Files go to a temporary folder, removed at the end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from include.presswatch.warehouse.migrations import migrate  # noqa: E402
from include.presswatch.warehouse.reference_sync import sync_reference  # noqa: E402
from benchkit import scratch_database, write_readme_section  # noqa: E402

TODAY = dt.date(2024, 4, 10)
PEER_WIDTH = 12
TARGETS = {"limit": 3.0, "peer": 5.0, "memory_mb": 1024}

FIELDS = ["report_id", "event_date", "region", "locality", "category", "outlet", "summary", "source", "confidential"]
HEADERS = {
    "ru": {"report_id": "№ сообщения", "event_date": "Дата события", "region": "Регион", "locality": "Город",
           "category": "Категория", "outlet": "СМИ", "summary": "Описание", "source": "Источник",
           "confidential": "Конфиденциально"},
    "en": {"report_id": "Report ID", "event_date": "Event date", "region": "Region", "locality": "City / Locality",
           "category": "Category", "outlet": "Media outlet", "summary": "Summary", "source": "Source",
           "confidential": "Confidential"},
    "kk": {"report_id": "Хабарлама №", "event_date": "Оқиға күні", "region": "Облыс", "locality": "Елді мекен",
           "category": "Санат", "outlet": "БАҚ", "summary": "Сипаттама", "source": "Дереккөз",
           "confidential": "Құпия"},
}
PLACES = [("Костанайская область", "Костанай"), ("ВКО", "Усть-Каменогорск"), ("г. Шымкент", None),
          ("Mangystau Region", "Aktau"), ("Қостанай облысы", "Рудный"), ("Алматы", None), ("СКО", "Петропавловск"),
          ("Atyrau Region", "Atyrau"), ("Карагандинская обл.", "Караганда"), ("Астана", None)]
CATEGORIES = ["refusal_restriction_information", "Угрозы", "Нападения", "threats", "Задержания",
              "Блокировка ресурсов / аккаунтов", "Қоқан-лоқы", "detentions", "Вмешательство в деятельность СМИ",
              "accreditation_denial"]
OUTLETS = ["TobolInfo", "Azattyq", "Orda.kz", "Vlast.kz", "Уральская неделя", "Lada", "КазТАГ", None]
BOOLS = {"ru": ["да", "нет", None], "en": ["yes", "no", None], "kk": ["иә", "жоқ", None]}
KK_MONTHS = ["қаңтар", "ақпан", "наурыз"]


def _row(rng: random.Random, file_no: int, n: int, lang: str, date_as_text: bool) -> list:
    region, locality = rng.choice(PLACES)
    day = dt.date(2024, rng.randint(1, 3), rng.randint(1, 28))
    if date_as_text:
        date = f"{day.day} {KK_MONTHS[day.month - 1]} {day.year}" if lang == "kk" else f"{day:%d.%m.%Y}"
    else:
        date = day
    row = {
        "report_id": f"{file_no}-{n}", "event_date": date, "region": region, "locality": locality,
        "category": rng.choice(CATEGORIES), "outlet": rng.choice(OUTLETS),
        "summary": f"Сообщение {file_no}-{n}: акимат не ответил на запрос редакции, {rng.randint(1, 10**6)}",
        "source": rng.choice(["корреспондент", "СМИ", "соцсети"]), "confidential": rng.choice(BOOLS[lang]),
    }
    bad = rng.random()
    if bad < 0.01:
        row["region"] = "Нарния"
    elif bad < 0.02:
        row["event_date"] = "32.03.2024"
    elif bad < 0.03:
        row["summary"] = None
    return [row[f] for f in FIELDS]


def generate(folder: Path, files: int, rows: int) -> list[Path]:
    """The inbox: <folder>/correspondents/2024-03/*, mixed layouts."""
    from openpyxl import Workbook

    sys.path.insert(0, str(ROOT))
    from tests.bad_inputs import write_ods

    rng = random.Random(2024)
    target = folder / "correspondents" / "2024-03"
    target.mkdir(parents=True)
    paths = []
    for file_no in range(files):
        layout = file_no % 10
        lang = ["ru", "ru", "ru", "en", "en", "kk", "kk", "ru", "en", "ru"][layout]
        header = [HEADERS[lang][f] for f in FIELDS]
        data = [_row(rng, file_no, n, lang, date_as_text=layout in (5, 6, 9)) for n in range(rows)]
        if layout in (3, 4):  # other column order and an extra column
            order = [6, 1, 4, 2, 3, 5, 7, 0, 8]
            header = [header[i] for i in order] + ["Internal note"]
            data = [[r[i] for i in order] + ["checked"] for r in data]
        if layout == 8:
            path = target / f"file_{file_no:03d}.ods"
            write_ods(path, {"Reports": [header, *data]})
        elif layout == 7:
            path = target / f"file_{file_no:03d}.xls"
            _write_xls(path, header, data)
        else:
            path = target / f"file_{file_no:03d}.xlsx"
            book = Workbook(write_only=True)
            if layout in (0, 1, 2):
                notes = book.create_sheet("Инструкция")
                notes.append(["Одна строка — одно сообщение"])
            sheet = book.create_sheet("Отчёт")
            if layout in (0, 1, 2, 5):
                sheet.append(["Мониторинг нарушений свободы слова"])
                sheet.append(["Март 2024"])
                sheet.append([])
            sheet.append(header)
            for line in data:
                sheet.append(line)
            book.save(path)
        paths.append(path)
    return paths


def _write_xls(path: Path, header: list, data: list[list]) -> None:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Отчёт")
    style = xlwt.easyxf(num_format_str="DD.MM.YYYY")
    for c, value in enumerate(header):
        sheet.write(0, c, value)
    for r, line in enumerate(data, start=1):
        for c, value in enumerate(line):
            if isinstance(value, dt.date):
                sheet.write(r, c, dt.datetime.combine(value, dt.time()), style)
            elif value is not None:
                sheet.write(r, c, value)
    book.save(str(path))


def bare_calamine(paths: list[Path]) -> tuple[float, int]:
    import python_calamine as calamine

    started = time.perf_counter()
    cells = 0
    for path in paths:
        book = calamine.CalamineWorkbook.from_path(str(path))
        for name in book.sheet_names:
            grid = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
            cells += sum(len(r) for r in grid)
    return time.perf_counter() - started, cells


def naive_peer(paths: list[Path], url: str) -> tuple[float, int]:
    """openpyxl (xlsx) or pandas' own readers (xls, ods) → DataFrame → to_sql, the way a script would do it."""
    import pandas as pd
    from openpyxl import load_workbook
    from sqlalchemy import Text, create_engine

    # The URL may be a conninfo string ("host=... dbname=..."): let psycopg open the connections.
    engine = create_engine("postgresql+psycopg://", creator=lambda: psycopg.connect(url))
    started = time.perf_counter()
    rows = 0
    for path in paths:
        frames = []
        if path.suffix == ".xlsx":
            book = load_workbook(path, read_only=True, data_only=True)
            for sheet in book.worksheets:
                values = [[None if v is None else str(v) for v in r] for r in sheet.iter_rows(values_only=True)]
                if values:
                    width = max(map(len, values))
                    frames.append(pd.DataFrame([row + [None] * (width - len(row)) for row in values]))
            book.close()
        else:
            # openpyxl reads neither; pandas' calamine engine does (no odfpy or xlrd here), which favours the peer.
            for frame in pd.read_excel(path, sheet_name=None, header=None, engine="calamine", dtype=str).values():
                frames.append(frame)
        for frame in frames:
            frame.columns = [f"c{i}" for i in range(frame.shape[1])]
            frame = frame.reindex(columns=[f"c{i}" for i in range(PEER_WIDTH)])  # one scratch table for all
            frame["file"] = path.name
            frame.to_sql("peer_rows", engine, if_exists="append", index=False, dtype=dict.fromkeys(frame.columns, Text()))
            rows += len(frame)
    elapsed = time.perf_counter() - started
    engine.dispose()
    return elapsed, rows


def server_cpu_seconds(conn: psycopg.Connection) -> float | None:
    """CPU time the connection's server process has used; None when the server is not on this machine."""
    stat = Path(f"/proc/{conn.info.backend_pid}/stat")
    if conn.info.host not in ("localhost", "127.0.0.1", "::1") and not conn.info.host.startswith("/"):
        return None
    try:
        fields = stat.read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def full_intake(inbox: Path, storage: Path, url: str):
    """Wall time, outcomes, row counts, and the CPU seconds the intake used in this process, in the worker
    processes it started, and in the server."""
    from include.presswatch.intake import ingest_inbox

    with psycopg.connect(url) as conn:
        server_before, python_before, workers_before = server_cpu_seconds(conn), time.process_time(), _children_cpu()
        started = time.perf_counter()
        outcomes = ingest_inbox(conn, inbox, TODAY, storage=storage)
        conn.commit()
        elapsed = time.perf_counter() - started
        python_cpu, workers_cpu = time.process_time() - python_before, _children_cpu() - workers_before
        server_after = server_cpu_seconds(conn)
        server_cpu = server_after - server_before if server_before is not None and server_after is not None else None
        counts = conn.execute(
            "SELECT (SELECT count(*) FROM raw.row), (SELECT count(*) FROM core.report), (SELECT count(*) FROM quarantine.row)"
        ).fetchone()
    return elapsed, outcomes, counts, (python_cpu, workers_cpu, server_cpu)


def warm_up() -> float:
    """Per-process constants: importing GX and building its context, reading the reference YAML files."""
    started = time.perf_counter()
    from include.presswatch.normalize.categories import resolve_category
    from include.presswatch.normalize.headers import field_for
    from include.presswatch.normalize.places import resolve_region
    from include.presswatch.normalize.rows import RECORD_FIELDS, NormalizedRow
    from include.presswatch.normalize.values import parse_bool, parse_date
    from include.presswatch.quality import report_suite

    resolve_region("Астана"), resolve_category("threats"), field_for("Регион"), parse_date("1 марта 2024")
    parse_bool("да")

    record = {k: None for k in RECORD_FIELDS}
    report_suite.validate([NormalizedRow("", 1, {}, record)], ["x"], {"y": "z"}, TODAY)
    return time.perf_counter() - started


def cpu_budget_line(python_cpu: float, workers_cpu: float, server_cpu: float | None, full: float, limit: float) -> str:
    """The CPU the intake needed, and the shortest wall time that CPU allows on this machine's cores."""
    spent = f"{python_cpu:.2f} s in this process + {workers_cpu:.2f} s in its worker processes"
    if server_cpu is None:
        return f"CPU: {spent} (the server's share is not measurable from here)."
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    total = python_cpu + workers_cpu + server_cpu
    floor = total / cores
    return (
        f"CPU: {spent} + {server_cpu:.2f} s in the PostgreSQL server = {total:.2f} s; on {cores} CPUs no schedule "
        f"finishes that in under {floor:.2f} s ({floor / limit:.2f} x limit); the run took {full:.2f} s, "
        f"{total / full:.2f} CPUs busy on average."
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--rows", type=int, default=500)
    parser.add_argument("--write-readme", action="store_true", help="record the numbers in bench/README.md")
    parser.add_argument("--profile", action="store_true", help="cProfile the full intake, top 25 by cumulative time")
    parser.add_argument("--skip-peer", action="store_true")
    parser.add_argument("--runs", type=int, default=3,
                        help="full intake runs, each into a new empty warehouse; the fastest is compared, as the "
                             "fastest of three bare reads is the limit")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be 1 or more")
    logging.basicConfig(level=logging.WARNING)

    with tempfile.TemporaryDirectory(prefix="presswatch-bench-") as temp:
        inbox = Path(temp) / "inbox"
        started = time.perf_counter()
        paths = generate(inbox, args.files, args.rows)
        size = sum(p.stat().st_size for p in paths) / 1e6
        print(f"inbox: {len(paths)} files x {args.rows} rows, {size:.0f} MB (generated in {time.perf_counter() - started:.0f} s)")
        gx_setup = warm_up()
        limit, cells = min(bare_calamine(paths), bare_calamine(paths))
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        runs = []  # (wall, outcomes, counts, cpu) of each intake run, each into a new empty warehouse
        for number in range(1, args.runs + 1):
            with scratch_database("presswatch_bench_intake") as url:
                with psycopg.connect(url) as conn:
                    migrate(conn)
                    sync_reference(conn)
                profiler = None
                if args.profile and number == 1:
                    import cProfile

                    profiler = cProfile.Profile(time.process_time)  # CPU of this process, not time spent waiting
                    profiler.enable()
                runs.append(full_intake(inbox, Path(temp) / f"storage-{number}", url))
                if profiler is not None:
                    import pstats

                    profiler.disable()
                    pstats.Stats(profiler).sort_stats(os.environ.get("BENCH_PROFILE_SORT", "cumulative")).print_stats(25)
                print(f"intake run {number}: {runs[-1][0]:.2f} s", flush=True)
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        worker_peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        limit = min(limit, bare_calamine(paths)[0])
        if len({run[2] for run in runs}) > 1:  # every run starts from an empty warehouse: the same rows must land
            raise SystemExit(f"the intake runs disagree (raw, accepted, quarantined rows): {[run[2] for run in runs]}")
        full, outcomes, (raw_rows, accepted, rejected), (python_cpu, workers_cpu, server_cpu) = min(runs, key=lambda r: r[0])
        print(f"limit {limit:.2f} s, full intake {full:.2f} s ({full / limit:.2f} x), peak {peak_mb:.0f} MB; peer next",
              flush=True)
        if args.skip_peer:
            peer, peer_rows = float("nan"), 0
        else:
            with scratch_database("presswatch_bench_peer") as url:
                peer, peer_rows = naive_peer(paths, url)
    walls = sorted(run[0] for run in runs)

    loaded = sum(o.status == "loaded" for o in outcomes)
    ratio_limit, ratio_peer = full / limit, peer / full
    ok = ratio_limit <= TARGETS["limit"] and ratio_peer >= TARGETS["peer"] and peak_mb + worker_peak_mb < TARGETS["memory_mb"]
    lines = [
        f"Run {dt.date.today():%Y-%m-%d}, {len(paths)} files x {args.rows} rows ({size:.0f} MB; xlsx in four "
        f"layouts, xls, ods; ~3% bad rows), embedded PostgreSQL 16, {os.cpu_count()} CPUs.",
        "",
        "| measure | seconds | ratio | target |",
        "|---|---:|---:|---:|",
        f"| bare calamine read of every sheet (limit; fastest of 3) | {limit:.2f} | 1.00 | |",
        f"| full intake: read, headers, normalize, GX, COPY load, reports (fastest of {len(runs)}) | {full:.2f} | "
        f"{ratio_limit:.2f} x limit | ≤ {TARGETS['limit']:.0f} x limit |",
        f"| naive peer: openpyxl → DataFrame → to_sql | {peer:.2f} | {ratio_peer:.1f} x slower than intake | ≥ {TARGETS['peer']:.0f} x |",
        "",
        f"Intake: {loaded} files loaded, {raw_rows} rows read, {accepted} accepted, {rejected} quarantined "
        f"(peer wrote {peer_rows} rows, header rows included). Peak memory: {peak_mb:.0f} MB in this process "
        f"(before intake {rss_before:.0f} MB), {worker_peak_mb:.0f} MB in the largest worker process (pages shared "
        f"with this process after the fork counted in both); target < {TARGETS['memory_mb']} together. GX import and first context and "
        f"reading the reference YAML, before the clock: {gx_setup:.1f} s.",
        "",
        f"Intake runs, each into a new empty warehouse: {', '.join(f'{w:.2f}' for w in walls)} s "
        f"({', '.join(f'{w / limit:.2f}' for w in walls)} x limit). The CPU of the fastest:",
        "",
        cpu_budget_line(python_cpu, workers_cpu, server_cpu, full, limit),
    ]
    print("\n".join(lines))
    print("targets met" if ok else "TARGETS NOT MET")
    if args.write_readme:
        write_readme_section("intake", ["`PYTHONPATH=. .venv/bin/python bench/intake.py --write-readme`", "", *lines])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

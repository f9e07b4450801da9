"""Files prepared by worker processes load exactly as when prepared in one process; COPY's text lines carry
every value as it was; what a worker logs reaches the parent's log."""

import dataclasses
import datetime as dt
import logging
import os
import shutil
from decimal import Decimal

import psycopg
import pytest

from include.presswatch import intake
from include.presswatch.intake import discover_files, ingest_files
from include.presswatch.warehouse.bulk import copy_lines, copy_text_line
from include.presswatch.warehouse.migrations import migrate
from include.presswatch.warehouse.reference_sync import sync_reference
from tests.bad_inputs import bad_rows_workbook, write_xls
from tests.workbooks import RU_HEADERS, report, write_csv, write_xlsx

TODAY = dt.date(2024, 4, 10)
SUBMITTED = dt.datetime(2024, 4, 10, 9, 0, tzinfo=dt.timezone.utc)
HEADERS = {**RU_HEADERS, "report_id": "№ сообщения", "duplicate_of": "Дубликат"}
AWKWARD = "табуляция\tвнутри, перевод\nстроки, обратная \\ черта, \\N и \\t как текст"
TIMESTAMP_TYPES = (1114, 1184)  # timestamp, timestamptz: when a row was written differs between two loads
TABLES = ("raw.file", "raw.row", "core.report", "quarantine.file", "quarantine.row", "quarantine.row_problem",
          "raw.row_replacement", "raw.row_restoration")


def mixed_inbox(inbox):
    """More files than it takes to start worker processes, of every outcome: loaded, corrected by report id,
    bad rows, unreadable, duplicate marks, a copy, an awkward text."""
    folder = inbox / "correspondents" / "2024-03"
    folder.mkdir(parents=True)
    write_xlsx(folder / "a_first.xlsx",
               [report(report_id=f"A-{n}", summary=f"Сообщение {n}") for n in range(30)], headers=HEADERS)
    write_csv(folder / "b_awkward.csv", [
        report(report_id="B-1", summary=AWKWARD, outlet="Orda\\kz"), report(report_id="B-2", region="Нарния"),
    ], headers=HEADERS)
    write_csv(folder / "c_corrects_a.csv", [
        report(report_id="A-3", summary="Уточнено"), report(report_id="A-4", event_date="32.03.2024"),
    ], headers=HEADERS)
    bad_rows_workbook(folder / "d_bad_rows.xlsx")
    (folder / "e_not_a_spreadsheet.xlsx").write_bytes(b"this is not a spreadsheet")
    write_xlsx(folder / "f_marks.xlsx", [
        {"report_id": "A-5", "duplicate_of": "A-6"}, {"report_id": "Z-404", "duplicate_of": "A-1"},
    ], headers=HEADERS)
    write_xlsx(folder / "g_names_unknown.xlsx", [report(report_id="G-1", duplicate_of="Q-999")], headers=HEADERS)
    shutil.copy(folder / "a_first.xlsx", folder / "h_copy_of_a.xlsx")
    for n in range(4):
        write_csv(folder / f"i_more_{n}.csv", [report(summary=f"Ещё {n}-{k}", confidential="да") for k in range(5)])
    write_xls(folder / "j_legacy.xls", [report(summary="Из старого Excel")])


def fresh_warehouse(database_factory) -> str:
    url = database_factory("presswatch_processes")
    with psycopg.connect(url) as conn:
        migrate(conn)
        sync_reference(conn)
    return url


def contents(url) -> dict[str, list]:
    """Every row of the tables an intake writes, without the times they were written at."""
    found = {}
    with psycopg.connect(url) as conn:
        for table in TABLES:
            cursor = conn.execute(f"SELECT * FROM {table}")
            kept = [i for i, column in enumerate(cursor.description) if column.type_code not in TIMESTAMP_TYPES]
            found[table] = sorted((tuple(_untimed(row[i]) for i in kept) for row in cursor), key=repr)
    return found


def _untimed(value):
    """A withdrawn row's content (jsonb) without the times in it."""
    if isinstance(value, dict):
        return {k: _untimed(v) for k, v in value.items() if not k.endswith("_at")}
    if isinstance(value, list):
        return [_untimed(v) for v in value]
    return value


def test_worker_processes_load_exactly_what_one_process_loads(database_factory, inbox, tmp_path, caplog):
    mixed_inbox(inbox)
    paths = discover_files(inbox)
    assert len(paths) >= intake.PROCESS_MIN_FILES
    caplog.set_level(logging.INFO)
    results = {}
    for processes in (1, 2):
        url = fresh_warehouse(database_factory)
        with psycopg.connect(url) as conn:
            outcomes = ingest_files(conn, inbox, paths, TODAY, storage=tmp_path / f"storage_{processes}",
                                    submitted_at=SUBMITTED, chunk_files=3, processes=processes)
            conn.commit()
        reports = [(tmp_path / f"storage_{processes}").rglob("*")]
        results[processes] = (
            [dataclasses.replace(o, report_path=None) for o in outcomes],
            contents(url),
            sorted(p.read_bytes() for found in reports for p in found if p.is_file()),
        )

    (one_outcomes, one_tables, one_reports), (many_outcomes, many_tables, many_reports) = results[1], results[2]
    assert many_outcomes == one_outcomes
    for table in TABLES:
        assert many_tables[table] == one_tables[table], table
    assert many_reports == one_reports, "the intake reports are the same files"

    # The comparison is of an intake that did everything, not of two empty warehouses.
    status = {o.inbox_path.rsplit("/", 1)[1]: o.status for o in one_outcomes}
    assert status["e_not_a_spreadsheet.xlsx"] == "quarantined" and status["h_copy_of_a.xlsx"] == "unchanged"
    assert {s for name, s in status.items() if name not in ("e_not_a_spreadsheet.xlsx", "h_copy_of_a.xlsx")} == {"loaded"}
    assert all(one_tables[t] for t in ("core.report", "quarantine.row", "quarantine.row_problem", "raw.row_replacement"))
    with psycopg.connect(url) as conn:
        awkward = conn.execute("SELECT summary, outlet FROM core.report WHERE external_id = 'B-1'").fetchone()
    assert awkward == (AWKWARD, "Orda\\kz")

    from_workers = [r for r in caplog.records if r.process != os.getpid()]
    assert any("data-quality suite" in r.getMessage() for r in from_workers), "a worker's log reaches this one"


def test_chunks_take_every_file_once_in_order_and_never_more_than_a_chunk():
    for n in range(0, 260, 7):
        paths = [f"2024-03/{i:03d}.xlsx" for i in range(n)]
        for chunk_files in (2, 3, 8, 32):
            for shrinking in (False, True):
                chunks = intake._chunks(paths, chunk_files, shrinking)
                assert [p for chunk in chunks for p in chunk] == paths, (n, chunk_files, shrinking)
                assert all(0 < len(chunk) <= chunk_files for chunk in chunks), (n, chunk_files, shrinking)


def test_chunks_grow_and_shrink_again_at_the_end_when_workers_prepare_them():
    paths = [f"2024-03/{i:03d}.xlsx" for i in range(200)]
    one_process = [len(chunk) for chunk in intake._chunks(paths, 32)]
    workers = [len(chunk) for chunk in intake._chunks(paths, 32, shrinking=True)]
    assert one_process[:6] == workers[:6] == [2, 4, 8, 16, 32, 32]
    assert one_process[-2:] == [32, 10], "in one process nothing waits for the last chunk: no more than needed"
    tail = workers[workers.index(32) + workers.count(32):]
    assert len(tail) >= 3 and tail == sorted(tail, reverse=True) and len(set(tail)) == len(tail), workers
    assert tail[-1] <= intake.TAIL_MIN_FILES / intake.TAIL_SHRINK, workers


def test_copy_text_lines_carry_every_value_as_it_was(conn):
    conn.execute("CREATE TEMP TABLE copy_check (batch int, said text, flag bool, day date, amount numeric, n int)")
    rows = [
        ("plain", True, dt.date(2024, 3, 12), Decimal("1000000"), 1),
        ("tab\tinside", False, None, Decimal("1.5E+6"), 2),
        ("line\nbreaks\r\nboth", None, dt.date(2000, 1, 1), Decimal("0.25"), 3),
        ("back\\slash, \\N and \\t as text", True, None, None, 4),
        ("\\N", None, None, None, 5),
        ("", False, None, Decimal("-0"), 6),
        (None, None, None, None, 7),
        ("Қазақ тілі, «кавычки» ✓", True, None, Decimal("12.50"), 8),
    ]
    written = copy_lines(conn, "copy_check", ("batch", "said", "flag", "day", "amount", "n"),
                         [copy_text_line(row) for row in rows], prefix=b"7\t")
    back = conn.execute("SELECT batch, said, flag, day, amount, n FROM copy_check ORDER BY n").fetchall()
    assert written == len(rows)
    assert back == [(7, *row) for row in rows]


def test_copy_text_lines_carry_control_characters_psycopg_escapes_its_own_way(conn):
    conn.execute("CREATE TEMP TABLE control_check (said text, n int)")
    rows = [("back\bspace", 1), ("vertical\vtab", 2), ("form\ffeed", 3), ("bell\a and escape\x1b", 4)]
    lines = [copy_text_line(row) for row in rows]
    assert all(line.endswith(b"\n") and line.count(b"\n") == 1 for line in lines)
    copy_lines(conn, "control_check", ("said", "n"), lines)
    assert conn.execute("SELECT said, n FROM control_check ORDER BY n").fetchall() == rows


def test_a_nul_character_is_left_for_the_server_to_refuse(conn):
    # psycopg refuses to encode it; the line is still written, and PostgreSQL names the problem when it loads.
    line = copy_text_line(("before\x00after", 1))
    conn.execute("CREATE TEMP TABLE nul_check (said text, n int)")
    with pytest.raises(psycopg.DataError, match="0x00"), conn.transaction():
        copy_lines(conn, "nul_check", ("said", "n"), [line])


def test_a_cell_with_a_nul_character_quarantines_its_row_not_the_file(conn, inbox):
    # xls strings may hold one (CSV with one is refused as binary); PostgreSQL cannot store it in text.
    folder = inbox / "correspondents" / "2024-03"
    write_xls(folder / "a_nul.xls", [report(summary="до\x00после"), report(outlet="Orda\x00kz"), report()])
    for n in range(8):
        write_csv(folder / f"b_{n}.csv", [report(summary=f"Сообщение {n}")])
    outcomes = ingest_files(conn, inbox, discover_files(inbox), TODAY, submitted_at=SUBMITTED, processes=2)
    by_path = {o.inbox_path: o for o in outcomes}
    nul = by_path["2024-03/a_nul.xls"]
    assert (nul.status, nul.rows_read, nul.rows_loaded, nul.rows_quarantined) == ("loaded", 3, 1, 2)
    assert [o.status for p, o in sorted(by_path.items()) if p != "2024-03/a_nul.xls"] == ["loaded"] * 8
    problems = conn.execute(
        """SELECT q.row_number, p.column_name, p.value, p.reason FROM quarantine.row q
           JOIN quarantine.row_problem p USING (quarantine_row_id) ORDER BY q.row_number""").fetchall()
    assert [(r[0], r[1], r[2]) for r in problems] == [
        (2, RU_HEADERS["summary"], "до\ufffdпосле"), (3, RU_HEADERS["outlet"], "Orda\ufffdkz")]
    assert all("NUL character" in r[3] for r in problems)
    assert conn.execute("SELECT count(*) FROM raw.row").fetchone() == (11,)
    assert conn.execute("SELECT count(*) FROM core.report").fetchone() == (9,)

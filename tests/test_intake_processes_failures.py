"""Intake in worker processes when things go wrong: a worker killed, an error that does not unpickle, a
flood of log records, a connection that is not UTF-8, a date pandas cannot hold, awkward values and sheet
names, a second run over loaded files, an interrupt.

Tests that could hang the run they test run the intake in a child interpreter, so that a hang fails the test
instead of stopping the suite; the scenarios that sabotage the preparing are below, in ``SCENARIOS``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
import multiprocessing
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
from decimal import Decimal
from pathlib import Path

import psycopg
import pytest

from include.presswatch import intake, intake_prepare
from include.presswatch.intake import discover_files, ingest_files
from include.presswatch.warehouse.bulk import copy_lines, copy_text_line
from tests.bad_inputs import refuse_in_the_warehouse, write_ods_content
from tests.conftest import truncate_data
from tests.test_intake_processes import TABLES, contents, fresh_warehouse
from tests.workbooks import RU_HEADERS, report, write_csv, write_xlsx

TODAY = dt.date(2024, 4, 10)
SUBMITTED = dt.datetime(2024, 4, 10, 9, 0, tzinfo=dt.timezone.utc)
HEADERS = {**RU_HEADERS, "report_id": "№ сообщения", "duplicate_of": "Дубликат"}
PROJECT = Path(__file__).resolve().parents[1]
# Long enough for a child interpreter to import GX and ingest a handful of files on a slow machine; only a
# run that hangs ever waits this long.
CHILD_TIMEOUT = 30
CHATTY_RECORDS = 2000


# --- scenarios run in a child interpreter -------------------------------------------------------------------

def _killed_by_the_kernel(path: str) -> None:
    """A worker the kernel kills while it reads a file (the OOM killer on a large workbook)."""
    if path.endswith("c_killed.csv"):
        os.kill(os.getpid(), signal.SIGKILL)


def _error_that_does_not_unpickle(path: str) -> None:
    """An error of GX's own, raised while a worker prepares a file, that cannot be rebuilt from its pickle (its
    __init__ takes two required arguments; most of GX's errors with arguments are so)."""
    if path.endswith("c_breaks.csv"):
        from great_expectations.exceptions.exceptions import MetricResolutionError
        raise MetricResolutionError("a metric could not be computed", failed_metrics=())


def _chatty(path: str) -> None:
    """A worker that logs a lot while preparing the last file (each record goes through the records queue)."""
    if path.endswith("f_chatty.csv"):
        chatter = logging.getLogger("include.presswatch.test_chatter")
        for number in range(CHATTY_RECORDS):
            chatter.info("record %d %s", number, "x" * 200)


def _nothing(path: str) -> None:
    pass


SCENARIOS = {"killed": _killed_by_the_kernel, "unpicklable": _error_that_does_not_unpickle, "chatty": _chatty,
             "in_an_airflow_task": _nothing}


def _as_airflow_task_runner_does() -> None:
    """The SIGTERM handler Airflow's task runner installs (airflow/sdk/execution_time/task_runner.py, _on_term):
    in a forked child it returns, and the child goes on."""
    parent_pid = os.getpid()

    def _on_term(signum, frame):
        if os.getpid() != parent_pid:
            return

    signal.signal(signal.SIGTERM, _on_term)


class _Counting(logging.Handler):
    def __init__(self):
        super().__init__(logging.INFO)
        self.count = 0

    def emit(self, record):
        if record.name == "include.presswatch.test_chatter":
            self.count += 1


def child_main(url: str, inbox: str, scenario: str) -> None:
    """Run in the child interpreter: ingest the inbox in 2 processes with the scenario's sabotage, print the
    outcome (or the error) as JSON."""
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    counting = _Counting()
    logging.getLogger().addHandler(counting)
    logging.getLogger("include.presswatch").setLevel(logging.INFO)
    sabotage = SCENARIOS[scenario]
    if scenario == "in_an_airflow_task":
        _as_airflow_task_runner_does()
    read = intake_prepare._read

    def sabotaged_read(task, inbox_path):
        sabotage(inbox_path)
        return read(task, inbox_path)

    intake_prepare._read = sabotaged_read  # inherited by the forked workers
    result: dict = {}
    with psycopg.connect(url) as conn:
        try:
            outcomes = ingest_files(conn, Path(inbox), discover_files(Path(inbox)), TODAY, submitted_at=SUBMITTED,
                                    chunk_files=1, processes=2)
            result["statuses"] = {o.inbox_path: o.status for o in outcomes}
        except BaseException as exc:  # noqa: BLE001 — reported to the test
            result["error"] = f"{type(exc).__name__}: {exc}"
    result["records"] = counting.count
    result["children"] = len(multiprocessing.active_children())
    print(json.dumps(result), flush=True)


def run_child(url: str, inbox: Path, scenario: str) -> dict:
    """The child's printed result, or {"hung": ...} when it did not finish in CHILD_TIMEOUT."""
    process = subprocess.Popen(
        [sys.executable, "-c", "import sys; from tests.test_intake_processes_failures import child_main; "
                               "child_main(*sys.argv[1:])", url, str(inbox), scenario],
        cwd=PROJECT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )
    try:
        out, err = process.communicate(timeout=CHILD_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # the child and its pool's workers
        out, err = process.communicate()
        return {"hung": True, "stderr": err[-2000:]}
    lines = out.strip().splitlines()
    assert process.returncode == 0 and lines, err[-3000:]
    return {**json.loads(lines[-1]), "stderr": err}


def small_inbox(inbox: Path, names: list[str]) -> None:
    folder = inbox / "correspondents" / "2024-03"
    for name in names:
        write_csv(folder / name, [report(summary=f"Сообщение из {name}")])


# --- failures that must end the run with an error, not hang it, or stay the problem of their row --------------

def test_a_worker_killed_while_preparing_stops_the_run_with_an_error_instead_of_hanging(database_factory, inbox):
    # A pool that replaces a dead worker and forgets its task (multiprocessing.Pool) would wait forever.
    small_inbox(inbox, ["a_ok.csv", "b_ok.csv", "c_killed.csv", "d_ok.csv", "e_ok.csv"])
    result = run_child(fresh_warehouse(database_factory), inbox, "killed")
    assert not result.get("hung"), "the intake hung after a worker process died:\n" + result["stderr"][-800:]
    assert "c_killed.csv" in result.get("error", "") + json.dumps(result.get("statuses", {}))


def test_an_error_that_cannot_be_unpickled_stops_the_run_instead_of_hanging(database_factory, inbox):
    # Rebuilding this exception in the parent fails (TypeError: missing 'failed_metrics'); a pool whose result
    # thread dies of that would wait forever.
    small_inbox(inbox, ["a_ok.csv", "b_ok.csv", "c_breaks.csv", "d_ok.csv"])
    result = run_child(fresh_warehouse(database_factory), inbox, "unpicklable")
    assert not result.get("hung"), "the intake hung on an error raised in a worker:\n" + result["stderr"][-800:]
    assert "MetricResolutionError" in result.get("error", ""), result


def test_every_record_a_worker_logs_reaches_the_parent_and_the_run_ends(database_factory, inbox):
    # Records sent through a queue while the pool is torn down can be lost, or leave the listener waiting
    # forever for a lock a terminated worker held.
    small_inbox(inbox, [f"{letter}_ok.csv" for letter in "abcde"] + ["f_chatty.csv"])
    result = run_child(fresh_warehouse(database_factory), inbox, "chatty")
    assert not result.get("hung"), "the intake hung stopping the log listener:\n" + result["stderr"][-800:]
    assert set(result["statuses"].values()) == {"loaded"}
    assert result["records"] == CHATTY_RECORDS, "each record a worker logged is logged here once"


def test_rows_load_as_written_when_the_connection_does_not_speak_utf8(warehouse_url, inbox):
    # psycopg encodes text in the connection's client_encoding (PGCLIENTENCODING, or client_encoding in
    # WAREHOUSE_URL); the COPY lines are encoded in worker processes, as UTF-8.
    write_csv(inbox / "correspondents" / "2024-03" / "a.csv", [report(summary="Акимат не ответил на запрос")])
    with psycopg.connect(warehouse_url) as admin:
        truncate_data(admin)
    with psycopg.connect(warehouse_url, options="-c client_encoding=WIN1251") as conn:
        (outcome,) = ingest_files(conn, inbox, discover_files(inbox), TODAY, submitted_at=SUBMITTED)
        conn.commit()
    assert outcome.status == "loaded", outcome.describe()
    with psycopg.connect(warehouse_url) as conn:
        assert conn.execute("SELECT summary FROM core.report").fetchall() == [("Акимат не ответил на запрос",)]


def test_a_date_centuries_off_is_a_problem_of_its_row_not_the_end_of_the_run(conn, inbox):
    # The parser takes 01.03.1024; the suite's frame cannot hold it (datetime64[ns] starts in 1677), and
    # OutOfBoundsDatetime would stop the whole chunk, so one typo would stop the inbox.
    folder = inbox / "correspondents" / "2024-03"
    write_csv(folder / "a_typo.csv", [report(event_date="01.03.1024"), report(summary="Вторая строка")])
    write_csv(folder / "b_fine.csv", [report(summary="Другой файл")])
    outcomes = {o.inbox_path: o for o in ingest_files(conn, inbox, discover_files(inbox), TODAY,
                                                      submitted_at=SUBMITTED, processes=1)}
    typo, fine = outcomes["2024-03/a_typo.csv"], outcomes["2024-03/b_fine.csv"]
    assert (typo.rows_loaded, typo.rows_quarantined, fine.rows_loaded) == (1, 1, 1)


# --- values, names and runs that must come out the same ----------------------------------------------------------

AWKWARD_TEXTS = [
    "\\.",  # COPY's end-of-data marker, as a whole value
    "\\.\nafter the marker",
    "\\N", "\\\\N", "\\", "ends with a backslash\\", "\\t\\n\\r as written",
    "\x01\x02\x07\x08\x0b\x0c\x1b\x1f\x7f control characters",
    "\r", "\n", "\t", "\r\n\\.\r\n",
    "line\u2028separator\u2029paragraph\x85next-line",
    "\ufeffBOM and \U0001F4F0 emoji",
    "x" * 200_000,
]


def test_copy_text_lines_carry_awkward_values_as_they_were(conn):
    conn.execute("CREATE TEMP TABLE awkward (n int, said text, day date, amount numeric, flag bool, other text)")
    rows = [(n, text, None, None, None, None) for n, text in enumerate(AWKWARD_TEXTS)]
    rows += [
        (100, "dates before 1900", dt.date(1, 1, 1), Decimal("NaN"), True, "\\N"),
        (101, "", dt.date(1899, 12, 31), Decimal("Infinity"), False, None),
        (102, None, dt.date(9999, 12, 31), Decimal("-1E-20"), None, ""),
        (103, "\t", dt.date(1677, 9, 20), Decimal("12345678901234567890.123456789"), True, "\t"),
    ]
    # The fast path decides by counting backslashes and tabs over the joined line: mix them across values.
    rows += [(200, "a\\", None, None, None, "\\N"), (201, None, None, None, None, "tab\there, \\ there")]
    copy_lines(conn, "awkward", ("n", "said", "day", "amount", "flag", "other"), [copy_text_line(r) for r in rows])
    back = conn.execute("SELECT n, said, day, amount, flag, other FROM awkward ORDER BY n").fetchall()
    assert len(back) == len(rows)
    for written, read in zip(rows, back):
        if isinstance(written[3], Decimal) and written[3].is_nan():
            assert read[3].is_nan() and read[:3] + read[4:] == written[:3] + written[4:]
        else:
            assert read == written, written[:2]


def test_a_sheet_named_with_tab_newline_and_backslashes_loads_in_worker_processes(conn, inbox):
    name = "Отчёт\tмарт\n\\N\\."
    cells = "".join(f"<table:table-cell office:value-type=\"string\"><text:p>{RU_HEADERS[k]}</text:p>"
                    "</table:table-cell>" for k in ("event_date", "region", "category", "summary", "source"))
    values = "".join(f"<table:table-cell office:value-type=\"string\"><text:p>{v}</text:p></table:table-cell>"
                     for v in ("12.03.2024", "Костанайская область", "refusal_restriction_information",
                               "Строка из листа с трудным именем", "корреспондент"))
    table = (f'<table:table table:name="{name.replace(chr(9), "&#9;").replace(chr(10), "&#10;")}">'
             f"<table:table-row>{cells}</table:table-row><table:table-row>{values}</table:table-row></table:table>")
    folder = inbox / "correspondents" / "2024-03"
    write_ods_content(folder / "a_sheet_name.ods", table)
    small_inbox(inbox, [f"b_{n}.csv" for n in range(8)])
    outcomes = ingest_files(conn, inbox, discover_files(inbox), TODAY, submitted_at=SUBMITTED, chunk_files=2,
                            processes=2)
    assert {o.status for o in outcomes} == {"loaded"}
    sheets = {s for (s,) in conn.execute("SELECT DISTINCT sheet FROM core.report")}
    assert sheets == {name, ""}
    assert conn.execute("SELECT count(*) FROM raw.row WHERE sheet <> ''").fetchone() == (1,)


def test_worker_processes_end_with_the_run_inside_an_airflow_task(database_factory, inbox):
    # Forked workers inherit the task runner's SIGTERM handler, which returns in a child: Pool.terminate's
    # SIGTERM does nothing there, yet idle workers still end on the pool's sentinel.
    small_inbox(inbox, [f"{letter}_ok.csv" for letter in "abcdefgh"])
    result = run_child(fresh_warehouse(database_factory), inbox, "in_an_airflow_task")
    assert not result.get("hung"), "the intake hung tearing down its pool:\n" + result["stderr"][-800:]
    assert set(result["statuses"].values()) == {"loaded"} and result["children"] == 0


def _second_inbox(inbox: Path) -> None:
    """The inbox a week later: a resubmission, corrections by report id of rows loaded in an earlier chunk and
    run, duplicate marks naming reports of earlier chunks, copies across chunks, a file refused by the warehouse."""
    folder = inbox / "correspondents" / "2024-03"
    write_xlsx(folder / "a_first.xlsx", [report(report_id=f"A-{n}", summary=f"Исправлено {n}") for n in range(6)],
               headers=HEADERS)
    write_csv(folder / "m_corrects_b.csv", [report(report_id="B-2", summary="Поправка B-2")], headers=HEADERS)
    write_xlsx(folder / "n_marks.xlsx", [{"report_id": "B-1", "duplicate_of": "A-1"},
                                         {"report_id": "A-404", "duplicate_of": "A-2"}], headers=HEADERS)
    (folder / "o_copy_of_b.csv").write_bytes((folder / "b_second.csv").read_bytes())
    write_csv(folder / "p_refused.csv", [report(summary="Отказ сервера")])
    write_csv(folder / "q_new.csv", [report(report_id="Q-1")], headers=HEADERS)


def _first_inbox(inbox: Path) -> None:
    folder = inbox / "correspondents" / "2024-03"
    write_xlsx(folder / "a_first.xlsx", [report(report_id=f"A-{n}", summary=f"Сообщение {n}") for n in range(6)],
               headers=HEADERS)
    write_csv(folder / "b_second.csv", [report(report_id="B-1"), report(report_id="B-2", summary="Второе")],
              headers=HEADERS)
    for n in range(6):
        write_csv(folder / f"c_more_{n}.csv", [report(summary=f"Ещё {n}")])


def _without_temp_schema_numbers(value):
    """``value`` with the server's name for the refusing function's temporary schema (``pg_temp_3``) made
    neutral: the number is the backend's slot, which differs between the two databases, not the intake's doing."""
    if isinstance(value, str):
        return re.sub(r"pg_temp_\d+", "pg_temp", value)
    if isinstance(value, bytes):
        return re.sub(rb"pg_temp_\d+", b"pg_temp", value)
    if dataclasses.is_dataclass(value):
        return dataclasses.replace(value, **{f.name: _without_temp_schema_numbers(getattr(value, f.name))
                                             for f in dataclasses.fields(value) if f.init})
    if isinstance(value, dict):
        return {k: _without_temp_schema_numbers(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_without_temp_schema_numbers(v) for v in value)
    return value


def test_a_second_run_over_loaded_files_is_the_same_from_worker_processes(database_factory, tmp_path):
    # The same bytes for both runs (openpyxl writes the time into a workbook).
    _first_inbox(tmp_path / "first")
    shutil.copytree(tmp_path / "first", tmp_path / "second")
    _second_inbox(tmp_path / "second")
    results = {}
    for processes in (1, 2):
        inbox = tmp_path / f"inbox_{processes}"
        shutil.copytree(tmp_path / "first", inbox)
        url = fresh_warehouse(database_factory)
        with psycopg.connect(url) as conn:
            first = ingest_files(conn, inbox, discover_files(inbox), TODAY, submitted_at=SUBMITTED, chunk_files=2,
                                 processes=processes)
            conn.commit()
            shutil.rmtree(inbox)
            shutil.copytree(tmp_path / "second", inbox)
            refuse_in_the_warehouse(conn)
            second = ingest_files(conn, inbox, discover_files(inbox), TODAY,
                                  submitted_at=SUBMITTED + dt.timedelta(days=7), storage=tmp_path / f"s_{processes}",
                                  chunk_files=2, processes=processes)
            conn.commit()
        reports = sorted(p.read_bytes() for p in (tmp_path / f"s_{processes}").rglob("*") if p.is_file())
        results[processes] = _without_temp_schema_numbers(
            (first, [dataclasses.replace(o, report_path=None) for o in second], contents(url), reports))
    assert results[2][0] == results[1][0]
    assert results[2][1] == results[1][1]
    for table in TABLES:
        one, two = results[1][2][table], results[2][2][table]
        assert two == one, (table, sorted(set(one) - set(two)), sorted(set(two) - set(one)))
    assert results[2][3] == results[1][3]
    statuses = {o.inbox_path.rsplit("/", 1)[1]: o.status for o in results[1][1]}
    assert statuses["p_refused.csv"] == "failed" and statuses["o_copy_of_b.csv"] == "unchanged"
    assert statuses["c_more_0.csv"] == "unchanged" and statuses["m_corrects_b.csv"] == "loaded"
    assert any(o.rows_replaced for o in results[1][1])


def test_a_worker_log_with_a_traceback_reaches_the_parent_once(conn, inbox, caplog, monkeypatch):
    small_inbox(inbox, [f"a_{n}.csv" for n in range(7)] + ["b_normalizer_chokes.csv"])
    normalize = intake_prepare.normalize_sheet

    def choking(sheet):
        rows = normalize(sheet)
        if any("b_normalizer_chokes" in (r.record.get("summary") or "") for r in rows):
            raise ArithmeticError("a value no parser foresaw")
        return rows

    monkeypatch.setattr(intake_prepare, "normalize_sheet", choking)
    caplog.set_level(logging.INFO)
    outcomes = {o.inbox_path: o for o in ingest_files(conn, inbox, discover_files(inbox), TODAY,
                                                      submitted_at=SUBMITTED, chunk_files=2, processes=2)}
    assert outcomes["2024-03/b_normalizer_chokes.csv"].status == "quarantined"
    assert "ArithmeticError: a value no parser foresaw" in outcomes["2024-03/b_normalizer_chokes.csv"].reason
    failed = [r for r in caplog.records if "normalizing failed" in r.getMessage()]
    assert len(failed) == 1 and failed[0].process != os.getpid() and failed[0].levelno == logging.ERROR
    assert "Traceback" in failed[0].getMessage() and "ArithmeticError" in failed[0].getMessage()
    suite = [r for r in caplog.records if "data-quality suite" in r.getMessage()]
    assert len(suite) == len(intake._chunks(discover_files(inbox), 2)), "one record per chunk, none twice"


def test_an_interrupt_while_loading_leaves_no_worker_or_listener_behind(conn, inbox, monkeypatch):
    small_inbox(inbox, [f"a_{n}.csv" for n in range(10)])
    check_and_load, loaded = intake._check_and_load, []

    def interrupted(conn_, prepared, *args):
        if len(loaded) == 3:
            raise KeyboardInterrupt
        loaded.append(prepared.inbox_path)
        return check_and_load(conn_, prepared, *args)

    monkeypatch.setattr(intake, "_check_and_load", interrupted)
    threads_before = set(threading.enumerate())
    with pytest.raises(KeyboardInterrupt):
        ingest_files(conn, inbox, discover_files(inbox), TODAY, submitted_at=SUBMITTED, chunk_files=1, processes=2)
    assert multiprocessing.active_children() == []
    left = [t.name for t in set(threading.enumerate()) - threads_before if t.is_alive()]
    assert not [name for name in left if "_monitor" in name or "handle" in name.lower()], left


def test_an_error_of_the_suite_in_a_worker_is_raised_here_as_from_one_process(conn, inbox, monkeypatch):
    small_inbox(inbox, [f"a_{n}.csv" for n in range(6)] + ["b_suite_breaks.csv", "c_after.csv"])
    validate = intake_prepare.report_suite.validate

    def breaking(rows, *args):
        if any("b_suite_breaks" in (r.record.get("summary") or "") for r in rows):
            raise RuntimeError("data-quality rule failed to run: broken on purpose")
        return validate(rows, *args)

    monkeypatch.setattr(intake_prepare.report_suite, "validate", breaking)
    for processes in (1, 2):
        with pytest.raises(RuntimeError, match="broken on purpose"):
            ingest_files(conn, inbox, discover_files(inbox), TODAY, submitted_at=SUBMITTED, chunk_files=2,
                         processes=processes)
        conn.rollback()
        assert multiprocessing.active_children() == []

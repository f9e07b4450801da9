"""What the faster intake must keep: every value reaches the warehouse as it was (psycopg's COPY encoder, the
report-id look-up as JSON), a NUL character in a header is stored as U+FFFD like one in a cell, the suite's
configuration memo serves only the validating thread, rows are named by position under a row condition, and the
reference check names the first bad row with its own problem."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import psycopg
import pytest

from include.presswatch.intake import discover_files, ingest_file, ingest_files
from include.presswatch.normalize.rows import RECORD_FIELDS, NormalizedRow
from include.presswatch.quality import report_suite
from include.presswatch.warehouse import load_reports
from include.presswatch.warehouse.bulk import _own_text_line, copy_lines, copy_text_line
from tests.bad_inputs import write_xls
from tests.test_intake_bad_inputs import unaccounted_rows
from tests.workbooks import RU_HEADERS, report, write_xlsx

TODAY = dt.date(2024, 4, 10)
SUBMITTED = dt.datetime(2024, 4, 10, 9, 0, tzinfo=dt.timezone.utc)
ID_HEADERS = {**RU_HEADERS, "report_id": "№ сообщения"}


# ---- raw.row.payload as json (sql/0054) ------------------------------------------------------------------------
# A NUL in a header cell (xls can hold one, as in a data cell) reaches the payload's keys as the JSON escape
# \u0000. jsonb refused it, so such a file used to fail as a whole. json takes it: the file now loads when all its
# rows are clean, with raw.row payloads nothing can turn into jsonb or text, and still fails as a whole when one
# row goes to quarantine (quarantine.row.payload is jsonb). Whether a file loads depends on whether a row is bad.

def _nul_header_file(inbox, rows) -> str:
    headers = {**RU_HEADERS, "source": RU_HEADERS["source"] + "\x00"}  # still recognised as the source column
    write_xls(inbox / "correspondents" / "2024-03" / "nul_header.xls", rows, headers=headers)
    return "2024-03/nul_header.xls"


def test_a_nul_in_a_recognised_header_loads_the_file_with_a_payload_jsonb_can_read(conn, inbox):
    path = _nul_header_file(inbox, [report(summary="Первое"), report(summary="Второе")])
    (outcome,) = ingest_files(conn, inbox, discover_files(inbox), TODAY, submitted_at=SUBMITTED, processes=1)
    assert (outcome.inbox_path, outcome.status, outcome.rows_loaded) == (path, "loaded", 2)
    # What every other payload of the warehouse (quarantine.row, raw.row_replacement) can be: jsonb.
    bad = []
    for file_id, row_number in conn.execute("SELECT file_id, row_number FROM raw.row ORDER BY 1, 2").fetchall():
        try:
            with conn.transaction():
                conn.execute("SELECT payload::jsonb FROM raw.row WHERE file_id = %s AND row_number = %s",
                             (file_id, row_number))
        except psycopg.Error as exc:
            bad.append((row_number, type(exc).__name__))
    assert bad == []


def test_a_nul_in_a_recognised_header_quarantines_a_bad_row_instead_of_failing_the_file(conn, inbox):
    path = _nul_header_file(inbox, [report(summary="Первое"), report(region="Нарния")])
    (outcome,) = ingest_files(conn, inbox, discover_files(inbox), TODAY, submitted_at=SUBMITTED, processes=1)
    assert (outcome.inbox_path, outcome.status, outcome.reason) == (path, "loaded", None)
    assert (outcome.rows_loaded, outcome.rows_quarantined) == (1, 1)
    assert unaccounted_rows(conn) == []


# ---- the GX configuration memo (report_suite._configurations_kept) ----------------------------------------------
# The memo replaces the property on GX's Expectation class, for the whole process, while the intake suite runs.
# report_suite._lock serializes validate() calls only: any other GX user in the process meanwhile (another
# thread building or re-using an expectation) gets the first configuration its expectation ever built.

def _rows(categories: list[str]) -> list[NormalizedRow]:
    rows = []
    for number, category in enumerate(categories, start=2):
        record = dict.fromkeys(RECORD_FIELDS)
        record.update(event_date=dt.date(2024, 3, 5), region_code="astana", category_code=category,
                      summary="s", source="correspondent")
        rows.append(NormalizedRow("Sheet1", number, {}, record))
    return rows


def test_expectations_of_another_thread_are_not_memoized_while_the_intake_suite_runs(monkeypatch):
    from great_expectations import expectations as gxe
    from great_expectations.datasource.fluent.interfaces import Batch

    inside, finish = threading.Event(), threading.Event()
    gx_validate = Batch.validate

    def held_validate(self, *args, **kwargs):  # the intake suite, paused while it runs
        inside.set()
        finish.wait(60)
        return gx_validate(self, *args, **kwargs)

    monkeypatch.setattr(Batch, "validate", held_validate)
    errors = []

    def intake():
        try:
            report_suite.validate(_rows(["threats"]), ["astana"], {"threats": "violations"}, TODAY)
        except Exception as exc:  # handed to the test thread
            errors.append(exc)

    worker = threading.Thread(target=intake)
    worker.start()
    try:
        assert inside.wait(60), "the intake suite started"
        # Meanwhile, elsewhere in the process: an expectation is built, read, changed and read again.
        expectation = gxe.ExpectColumnValuesToBeBetween(column="amount", min_value=0, max_value=10)
        assert expectation.configuration.kwargs["max_value"] == 10
        expectation.max_value = 5
        seen = expectation.configuration.kwargs["max_value"]
    finally:
        finish.set()
        worker.join(120)
    assert errors == []
    assert seen == 5


def test_the_suite_names_rows_by_position_with_a_row_condition_on_a_shuffled_frame():
    # Guard: unexpected_index_list is the frame's index; the row_condition filter must not renumber rows.
    categories = ["threats", "defamation_suit", "threats", "defamation_suit", "threats", "gossip",
                  "defamation_suit"]
    rows = _rows(categories)
    rows[3].record["case_ref"] = "2-1/24"  # this legal claim has its reference
    groups = {"threats": "violations", "defamation_suit": "legal_claims"}
    found = report_suite.validate(rows, ["astana"], groups, TODAY)
    assert {i: sorted(p.field for p in problems) for i, problems in found.items()} == {
        1: ["case_ref"], 5: ["category"], 6: ["case_ref"]}
    # and the same with GX's own property (no memo)
    batch_definition, suite, rules = report_suite._prepared_suite(("astana",), tuple(sorted(groups)), TODAY)
    frame = report_suite._frame(rows, groups)
    alone = report_suite._run_suite(batch_definition, suite, frame, keep_configurations=False)
    kept = report_suite._run_suite(batch_definition, suite, frame)
    by_rule = [sorted(r.result.get("unexpected_index_list") or []) for r in alone.results]
    assert by_rule == [sorted(r.result.get("unexpected_index_list") or []) for r in kept.results]


# ---- psycopg's COPY row encoder (bulk.copy_text_line) --------------------------------------------------------------

class _Shown:
    def __str__(self):
        return "shown\tas text"


class _Text(str):
    pass


def test_copy_text_lines_carry_extreme_values_as_before(conn):
    # Guard: what psycopg's encoder writes reads back as the values themselves, as our own encoder's did.
    conn.execute("CREATE TEMP TABLE extremes (said text, day date, amount numeric, big numeric, flag bool, n int)")
    rows = [
        ("a\r\nb\rc", dt.date(1, 1, 1), Decimal("NaN"), 10**40, True, 1),
        ("😀 astral, Қазақ", dt.date(999, 12, 31), Decimal("Infinity"), -(2**63) - 1, False, 2),
        ("\\.", dt.date(9999, 12, 31), Decimal("-Infinity"), 2**63, None, 3),
        ("\\", None, Decimal("1E+100"), 0, True, 4),
        (_Text("a str subclass"), dt.date(2024, 2, 29), Decimal("-0.000001"), None, False, 5),
        ("\u2028\u0085\x7f\x1f", None, None, None, None, 6),
        ("back\bspace, vertical\vtab, form\ffeed", None, None, None, None, 7),
    ]
    lines = [copy_text_line(row) for row in rows]
    assert lines == [_own_text_line(row) for row in rows]
    copy_lines(conn, "extremes", ("said", "day", "amount", "big", "flag", "n"), lines)
    back = conn.execute("SELECT said, day, amount::text, big, flag, n FROM extremes ORDER BY n").fetchall()
    assert [b[:2] + b[3:] for b in back] == [(str(r[0]), r[1], *r[3:]) for r in rows]
    assert [b[2] for b in back] == ["NaN", "Infinity", "-Infinity", "1" + "0" * 100, "-0.000001", None, None]


def test_raw_lines_are_what_the_row_encoder_writes_and_read_back_as_the_payloads(conn):
    payloads = [
        {"Описание": "Tab\there, newline\nthere, carriage\rreturn", "Источник": 'quote " and back\\slash'},
        {"Summary": "\b\v\f\x01\x1f\x7f\u2028 😀", "column 3": "\\N", "Қазақ": "\ufffd"},
        {"a\\b": "\\\\", "Регион": "ВКО"},
    ]
    rows = [NormalizedRow(sheet, number, payload, dict.fromkeys(RECORD_FIELDS))
            for sheet, number, payload in [("Отчёт", 5, payloads[0]), ("Tab\tsheet\\", 6, payloads[1]),
                                           ("", 7, payloads[2])]]
    lines = load_reports.raw_lines(rows)
    assert lines == [copy_text_line((r.sheet, r.row_number, r.payload_json())) for r in rows]
    conn.execute("CREATE TEMP TABLE raw_back (sheet text, row_number int, payload json)")
    copy_lines(conn, "raw_back", ("sheet", "row_number", "payload"), lines)
    back = conn.execute("SELECT sheet, row_number, payload FROM raw_back ORDER BY row_number").fetchall()
    assert back == [(r.sheet, r.row_number, r.payload) for r in rows]


def test_a_value_psycopg_cannot_adapt_is_written_as_its_text(conn):
    # Guard: the fallback to our encoder (psycopg.Error) keeps an unknown object's text, escaped.
    conn.execute("CREATE TEMP TABLE shown (said text, n int)")
    copy_lines(conn, "shown", ("said", "n"), [copy_text_line((_Shown(), 1))])
    assert conn.execute("SELECT said, n FROM shown").fetchall() == [("shown\tas text", 1)]


# ---- the report-id look-up before writing (load_reports._held_elsewhere, ids as one JSON text) -------------------

def test_report_ids_with_json_special_characters_are_still_corrections(conn, inbox):
    # Guard: ids travel to the look-up inside a JSON text; quotes, backslashes, tabs and astral characters must
    # come out of json_array_elements_text as the ids themselves, or a correction would go unnoticed.
    ids = ['К-"1"', "back\\slash\\u0041", "tab\tinside", "😀-2", "line\u2028sep", "  spaced  "]
    folder = inbox / "correspondents" / "2024-03"
    write_xlsx(folder / "a_first.xlsx", [report(report_id=i, summary=f"Первое {n}") for n, i in enumerate(ids)],
               headers=ID_HEADERS)
    write_xlsx(folder / "b_fixed.xlsx", [report(report_id=i, summary=f"Исправлено {n}") for n, i in enumerate(ids)],
               headers=ID_HEADERS)
    ingest_file(conn, inbox, "2024-03/a_first.xlsx", TODAY, submitted_at=SUBMITTED)
    conn.commit()
    outcome = ingest_file(conn, inbox, "2024-03/b_fixed.xlsx", TODAY, submitted_at=SUBMITTED + dt.timedelta(hours=1))
    conn.commit()
    assert outcome.rows_replaced == len(ids)
    assert sorted(s for (s,) in conn.execute("SELECT summary FROM core.report")) == sorted(
        f"Исправлено {n}" for n in range(len(ids)))
    assert unaccounted_rows(conn) == []


# ---- core.report's reference check per distinct key (sql/0053) ------------------------------------------------------

def test_the_reference_check_names_the_first_bad_row_and_its_own_problem(conn):
    # Guard: with several bad rows of different kinds among many good ones, the message names the first bad row
    # (by sheet and row) with that row's problem, not another bad row's.
    (file_id,) = conn.execute(
        "INSERT INTO raw.file (source_kind, inbox_path, sha256, size_bytes, status) "
        "VALUES ('correspondent', 'refs.xlsx', 'x', 1, 'loaded') RETURNING file_id").fetchone()
    region, locality = conn.execute("SELECT region_code, code FROM ref.locality ORDER BY code LIMIT 1").fetchone()
    (category,) = conn.execute("SELECT code FROM ref.category ORDER BY code LIMIT 1").fetchone()
    conn.commit()
    rows = [(region, locality, category)] * 500
    rows[420] = ("atlantis", None, category)
    rows[137] = (region, "nowhere", category)
    rows[300] = (region, None, "gossip")
    columns = ("file_id", "sheet", "row_number", "event_date", "region_code", "locality_code", "category_code",
               "summary", "source", "content_hash")
    with pytest.raises(psycopg.errors.ForeignKeyViolation) as raised:
        with conn.cursor().copy(f"COPY core.report ({', '.join(columns)}) FROM STDIN") as copy:
            for number, (r, loc, cat) in enumerate(rows, start=2):
                copy.write_row((file_id, "", number, "2024-03-01", r, loc, cat, "s", "c", f"h{number}"))
    conn.rollback()
    assert str(raised.value).startswith(f"core.report (file {file_id}, sheet , row 139): "
                                        "locality_code 'nowhere' is not in ref.locality")

"""Corrections replace what they correct, identical resubmissions change nothing, duplicates count once."""

import datetime as dt
import threading

import psycopg

from include.presswatch.intake import ingest_file, ingest_inbox
from tests.test_intake_bad_inputs import unaccounted_rows
from tests.workbooks import RU_HEADERS, report, write_xlsx

TODAY = dt.date(2024, 4, 10)
HEADERS = {**RU_HEADERS, "report_id": "№ сообщения", "duplicate_of": "Дубликат"}
MARCH = dt.date(2024, 3, 1)


def ingest(conn, inbox):
    outcomes = ingest_inbox(conn, inbox, TODAY)
    conn.commit()  # as each Airflow task does
    return {o.inbox_path: o for o in outcomes}


def counted(conn):
    (n,) = conn.execute("SELECT count(*) FROM core.counted_reports(%s)", (MARCH,)).fetchone()
    return n


def snapshot(conn):
    return {
        table: conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2, 3").fetchall()
        for table in ("raw.file", "raw.row", "core.report", "quarantine.row", "raw.row_replacement")
    }


def test_a_correction_under_another_name_replaces_rows_with_the_same_report_ids(conn, inbox):
    folder = inbox / "correspondents" / "2024-03"
    write_xlsx(folder / "kostanay.xlsx", [
        report(report_id="K-1"), report(report_id="K-2", region="Нарния"), report(report_id="K-3", summary="Третье"),
    ], headers=HEADERS)
    ingest(conn, inbox)
    assert (counted(conn), conn.execute("SELECT count(*) FROM quarantine.row").fetchone()) == (2, (1,))

    write_xlsx(folder / "kostanay_fixed.xlsx", [
        report(report_id="K-1", summary="Акимат не ответил на запрос, уточнено"),
        report(report_id="K-2", region="Костанайская область", summary="Второе, исправлено"),
    ], headers=HEADERS)
    outcome = ingest(conn, inbox)["2024-03/kostanay_fixed.xlsx"]

    assert (outcome.rows_loaded, outcome.rows_replaced) == (2, 2)
    reports = dict(conn.execute("SELECT external_id, summary FROM core.report").fetchall())
    assert reports == {"K-1": "Акимат не ответил на запрос, уточнено", "K-2": "Второе, исправлено", "K-3": "Третье"}
    assert conn.execute("SELECT count(*) FROM quarantine.row").fetchone() == (0,), "the corrected row is released"
    history = conn.execute("SELECT external_id, was, message IS NOT NULL FROM raw.row_replacement ORDER BY 1").fetchall()
    assert history == [("K-1", "core", False), ("K-2", "quarantine", True)]
    assert counted(conn) == 3
    assert unaccounted_rows(conn) == []


def file_counts_off(conn):
    """Current correspondent files whose raw.file counters disagree with where their rows are now."""
    return conn.execute(
        """SELECT f.inbox_path, f.rows_read, f.rows_loaded, f.rows_quarantined, c.n, q.n, h.n FROM raw.file f
           CROSS JOIN LATERAL (SELECT count(*) FROM core.report WHERE file_id = f.file_id) c(n)
           CROSS JOIN LATERAL (SELECT count(*) FROM quarantine.row WHERE file_id = f.file_id) q(n)
           CROSS JOIN LATERAL (SELECT count(*) FROM raw.row_replacement WHERE file_id = f.file_id) h(n)
           WHERE f.source_kind = 'correspondent' AND f.status <> 'superseded'
             AND (f.rows_loaded <> c.n OR f.rows_quarantined <> q.n OR f.rows_read <> c.n + q.n + h.n)"""
    ).fetchall()


def test_a_correction_updates_the_counters_of_the_file_it_corrects(conn, inbox, tmp_path):
    folder = inbox / "correspondents" / "2024-03"
    storage = tmp_path / "storage"
    write_xlsx(folder / "pavlodar.xlsx", [
        report(report_id="P-1"), report(report_id="P-2", summary="Второе"),
        report(report_id="P-3", region="Нарния", summary="Третье"), report(report_id="P-4", summary="Четвёртое"),
    ], headers=HEADERS)
    ingest(conn, inbox)
    counters = "SELECT rows_read, rows_loaded, rows_quarantined FROM raw.file WHERE inbox_path = %s"
    assert conn.execute(counters, ("2024-03/pavlodar.xlsx",)).fetchone() == (4, 3, 1)

    write_xlsx(folder / "pavlodar_fixed.xlsx", [
        report(report_id="P-2", summary="Второе, исправлено"),
        report(report_id="P-3", region="Костанайская область", summary="Третье, исправлено"),
    ], headers=HEADERS)
    first_report = (storage / "intake" / "2024-03" / "pavlodar.xlsx.txt")
    assert ingest_inbox(conn, inbox, TODAY, storage=storage)[1].rows_replaced == 2
    conn.commit()
    text = first_report.read_text(encoding="utf-8")
    assert "read 4 rows, loaded 2, quarantined 0" in text
    assert "2 row(s) replaced since by rows with the same report id in later files (last: 2024-03/pavlodar_fixed.xlsx)" in text
    assert "Нарния" not in text and "Nothing was rejected." in text, "P-3 was released from quarantine"

    assert conn.execute(counters, ("2024-03/pavlodar.xlsx",)).fetchone() == (4, 2, 0), "P-2 and P-3 were withdrawn"
    assert conn.execute(counters, ("2024-03/pavlodar_fixed.xlsx",)).fetchone() == (2, 2, 0)
    assert file_counts_off(conn) == []
    assert unaccounted_rows(conn) == []

    before = snapshot(conn)
    outcomes = ingest(conn, inbox)
    assert {o.status for o in outcomes.values()} == {"unchanged"}
    assert snapshot(conn) == before


def test_report_ids_of_another_month_are_not_touched(conn, inbox):
    folder = inbox / "correspondents"
    write_xlsx(folder / "2024-02" / "a.xlsx", [report(report_id="7", event_date=dt.date(2024, 2, 7))], headers=HEADERS)
    write_xlsx(folder / "2024-03" / "b.xlsx", [report(report_id="7")], headers=HEADERS)
    outcomes = ingest(conn, inbox)
    assert outcomes["2024-03/b.xlsx"].rows_replaced == 0
    assert conn.execute("SELECT count(*) FROM core.report").fetchone() == (2,)


def test_an_identical_resubmission_changes_nothing(conn, inbox):
    path = inbox / "correspondents" / "2024-03" / "west.xlsx"
    write_xlsx(path, [report(report_id="W-1"), report(report_id="W-2", region="Нарния")], headers=HEADERS)
    ingest(conn, inbox)
    before = snapshot(conn)
    (inbox / "correspondents" / "2024-03" / "west_copy.xlsx").write_bytes(path.read_bytes())

    outcomes = ingest(conn, inbox)

    assert {o.status for o in outcomes.values()} == {"unchanged"}
    assert "identical to 2024-03/west.xlsx" in outcomes["2024-03/west_copy.xlsx"].reason
    assert snapshot(conn) == before


def test_a_new_version_at_the_same_path_keeps_the_history_of_versions(conn, inbox):
    path = inbox / "correspondents" / "2024-03" / "west.xlsx"
    for summary in ("Первая версия", "Вторая версия", "Третья версия"):
        write_xlsx(path, [report(summary=summary)])
        ingest(conn, inbox)
    versions = conn.execute("SELECT status FROM raw.file ORDER BY file_id").fetchall()
    assert versions == [("superseded",), ("superseded",), ("loaded",)]
    assert conn.execute("SELECT summary FROM core.report").fetchall() == [("Третья версия",)]
    assert conn.execute("SELECT count(*) FROM raw.row").fetchone() == (3,)


def test_the_same_report_sent_twice_counts_once(conn, inbox):
    folder = inbox / "correspondents" / "2024-03"
    write_xlsx(folder / "a.xlsx", [report()])
    write_xlsx(folder / "b.xlsx", [report()], title_rows=["Копия"])
    ingest(conn, inbox)
    assert conn.execute("SELECT count(*) FROM core.report").fetchone() == (2,)
    assert counted(conn) == 1
    assert conn.execute("SELECT count(*) FROM core.possible_duplicate").fetchone() == (0,), "not a likely duplicate: the same"


def test_likely_duplicates_are_listed_and_an_editor_mark_stops_one_counting(conn, inbox):
    folder = inbox / "correspondents" / "2024-03"
    write_xlsx(folder / "north.xlsx", [report(report_id="N-1", summary="Акимат отказал в информации")], headers=HEADERS)
    write_xlsx(folder / "east.xlsx", [report(report_id="E-5", summary="Редакции TobolInfo не ответили")], headers=HEADERS)
    ingest(conn, inbox)
    pairs = conn.execute("SELECT external_id, other_external_id FROM core.possible_duplicate").fetchall()
    assert pairs == [("E-5", "N-1")] or pairs == [("N-1", "E-5")]
    assert counted(conn) == 2

    write_xlsx(folder / "editor_marks.xlsx", [
        report(report_id="E-5", summary="Редакции TobolInfo не ответили", duplicate_of="N-1"),
    ], headers=HEADERS)
    outcome = ingest(conn, inbox)["2024-03/editor_marks.xlsx"]

    assert (outcome.rows_loaded, outcome.rows_replaced) == (1, 1)
    assert counted(conn) == 1
    assert conn.execute("SELECT count(*) FROM core.possible_duplicate").fetchone() == (0,)
    (kept,) = conn.execute("SELECT r.external_id FROM core.counted_reports(%s) c JOIN core.report r USING (report_key)",
                           (MARCH,)).fetchone()
    assert kept == "N-1"


def test_a_sheet_of_bare_duplicate_marks_marks_the_reports_it_names(conn, inbox):
    folder = inbox / "correspondents" / "2024-03"
    write_xlsx(folder / "north.xlsx", [
        report(report_id="N-1", summary="Акимат отказал в информации"),
        report(report_id="N-2", summary="Редакции TobolInfo не ответили", outlet="Orda.kz"),
    ], headers=HEADERS)
    ingest(conn, inbox)
    before = conn.execute(
        "SELECT event_date, region_code, category_code, summary, outlet, content_hash FROM core.report "
        "WHERE external_id = 'N-2'").fetchone()
    assert counted(conn) == 2

    marks = [{"report_id": "N-2", "duplicate_of": "N-1", "note": "тот же отказ"}]
    write_xlsx(folder / "editor_marks.xlsx", marks, headers={**HEADERS, "note": "Комментарий редактора"})
    outcome = ingest(conn, inbox)["2024-03/editor_marks.xlsx"]

    assert (outcome.status, outcome.rows_read, outcome.rows_loaded, outcome.rows_replaced) == ("loaded", 1, 1, 1)
    assert counted(conn) == 1
    marked = conn.execute(
        "SELECT event_date, region_code, category_code, summary, outlet, content_hash FROM core.report "
        "WHERE external_id = 'N-2'").fetchone()
    assert marked == before, "the report keeps its content; only the mark is new"
    (duplicate_of, path) = conn.execute(
        "SELECT r.duplicate_of, f.inbox_path FROM core.report r JOIN raw.file f USING (file_id) "
        "WHERE r.external_id = 'N-2'").fetchone()
    assert (duplicate_of, path) == ("N-1", "2024-03/editor_marks.xlsx")
    assert unaccounted_rows(conn) == []

    again = ingest(conn, inbox)["2024-03/editor_marks.xlsx"]
    assert again.status == "unchanged" and counted(conn) == 1


def test_a_duplicate_mark_that_names_no_known_report_is_quarantined_and_changes_nothing(conn, inbox):
    folder = inbox / "correspondents" / "2024-03"
    write_xlsx(folder / "north.xlsx", [report(report_id="N-1"), report(report_id="N-2", summary="Другое")],
               headers=HEADERS)
    ingest(conn, inbox)
    marks = [
        {"report_id": "N-404", "duplicate_of": "N-1"},  # no such report
        {"report_id": "N-2", "duplicate_of": "N-999"},  # duplicates a report nobody sent
        {"report_id": "N-1", "duplicate_of": None},  # the mark itself is missing
    ]
    write_xlsx(folder / "editor_marks.xlsx", marks, headers=HEADERS)
    outcome = ingest(conn, inbox)["2024-03/editor_marks.xlsx"]

    assert (outcome.rows_loaded, outcome.rows_quarantined, outcome.rows_replaced) == (0, 3, 0)
    messages = dict(conn.execute("SELECT row_number, message FROM quarantine.row").fetchall())
    assert "no accepted report with id N-404 among this month's files" in messages[2]
    assert "no report with id N-999 is known" in messages[3]
    assert "needs the id of the report this one duplicates" in messages[4]
    assert counted(conn) == 2, "both reports still count"
    assert unaccounted_rows(conn) == []


def rows_of(conn, inbox_path):
    """Where each row of a file's current version is: its core and quarantine rows with their content, and the
    problems of each quarantined row."""
    file_id = "(SELECT file_id FROM raw.file WHERE inbox_path = %(path)s AND status = 'loaded')"
    return (
        conn.execute(f"""SELECT report_key, sheet, row_number, external_id, summary, region_code, content_hash
                         FROM core.report WHERE file_id = {file_id} ORDER BY row_number""",
                     {"path": inbox_path}).fetchall(),
        conn.execute(f"""SELECT q.quarantine_row_id, q.row_number, q.external_id, q.message, q.payload,
                                array_agg((p.column_name, p.field, p.value, p.reason)::text ORDER BY p.reason)
                         FROM quarantine.row q JOIN quarantine.row_problem p USING (quarantine_row_id)
                         WHERE q.file_id = {file_id} GROUP BY q.quarantine_row_id ORDER BY q.row_number""",
                     {"path": inbox_path}).fetchall(),
    )


def test_when_a_correction_is_replaced_without_an_id_the_row_it_withdrew_comes_back(conn, inbox, tmp_path):
    folder = inbox / "correspondents" / "2024-03"
    storage = tmp_path / "storage"
    write_xlsx(folder / "aktobe.xlsx", [
        report(report_id="A-1"), report(report_id="A-2", region="Нарния", summary="Второе"),
        report(report_id="A-3", summary="Третье"),
    ], headers=HEADERS)
    ingest_inbox(conn, inbox, TODAY, storage=storage)
    conn.commit()
    original = rows_of(conn, "2024-03/aktobe.xlsx")
    assert (len(original[0]), len(original[1])) == (2, 1)

    write_xlsx(folder / "aktobe_fixed.xlsx", [
        report(report_id="A-1", summary="Первое, уточнено"),
        report(report_id="A-2", region="Актюбинская область", summary="Второе, исправлено"),
    ], headers=HEADERS)
    assert ingest_inbox(conn, inbox, TODAY, storage=storage)[1].rows_replaced == 2
    conn.commit()
    assert rows_of(conn, "2024-03/aktobe.xlsx") == ([original[0][1]], [])

    # The correspondent takes A-2 back out of the corrections file: A-2 is what aktobe.xlsx says again.
    write_xlsx(folder / "aktobe_fixed.xlsx", [report(report_id="A-1", summary="Первое, уточнено ещё раз")],
               headers=HEADERS)
    outcome = ingest_inbox(conn, inbox, TODAY, storage=storage)[1]
    conn.commit()

    assert (outcome.rows_loaded, outcome.rows_replaced, outcome.rows_restored) == (1, 0, 1)
    core, quarantined = rows_of(conn, "2024-03/aktobe.xlsx")
    assert core == [original[0][1]], "A-1 stays corrected: the new version still carries it"
    assert quarantined == original[1], "A-2 is back in quarantine with its problems, as it was"
    reports = dict(conn.execute("SELECT external_id, summary FROM core.report").fetchall())
    assert reports == {"A-1": "Первое, уточнено ещё раз", "A-3": "Третье"}
    assert conn.execute("SELECT external_id, was FROM raw.row_restoration").fetchall() == [("A-2", "quarantine")]
    assert conn.execute("SELECT external_id FROM raw.row_replacement").fetchall() == [("A-1",)]
    counters = "SELECT rows_read, rows_loaded, rows_quarantined FROM raw.file WHERE inbox_path = %s AND status = 'loaded'"
    assert conn.execute(counters, ("2024-03/aktobe.xlsx",)).fetchone() == (3, 1, 1)
    assert file_counts_off(conn) == []
    assert unaccounted_rows(conn) == []
    text = (storage / "intake" / "2024-03" / "aktobe.xlsx.txt").read_text(encoding="utf-8")
    assert "read 3 rows, loaded 1, quarantined 1" in text
    assert "1 row(s) back since 2024-03/aktobe_fixed.xlsx replaced the version" in text
    assert "Нарния" in text, "the released row is rejected again, and the report says why"

    before = snapshot(conn) | {"restored": conn.execute("SELECT * FROM raw.row_restoration").fetchall()}
    assert {o.status for o in ingest(conn, inbox).values()} == {"unchanged"}
    assert snapshot(conn) | {"restored": conn.execute("SELECT * FROM raw.row_restoration").fetchall()} == before


def test_a_correction_replaced_by_an_unreadable_file_gives_back_every_row_it_withdrew(conn, inbox):
    folder = inbox / "correspondents" / "2024-03"
    write_xlsx(folder / "atyrau.xlsx", [report(report_id="T-1"), report(report_id="T-2", summary="Второе")],
               headers=HEADERS)
    ingest(conn, inbox)
    original, count = rows_of(conn, "2024-03/atyrau.xlsx"), counted(conn)
    write_xlsx(folder / "atyrau_fixed.xlsx", [
        report(report_id="T-1", summary="Первое, исправлено"), report(report_id="T-2", summary="Второе, исправлено"),
    ], headers=HEADERS)
    ingest(conn, inbox)
    assert rows_of(conn, "2024-03/atyrau.xlsx") == ([], [])

    (folder / "atyrau_fixed.xlsx").write_bytes(b"this is not a spreadsheet")
    outcome = ingest(conn, inbox)["2024-03/atyrau_fixed.xlsx"]

    assert (outcome.status, outcome.rows_restored) == ("quarantined", 2)
    assert rows_of(conn, "2024-03/atyrau.xlsx") == original, "the same rows, keys and content hashes as before"
    assert counted(conn) == count
    assert file_counts_off(conn) == []
    assert unaccounted_rows(conn) == []


def test_undoing_a_chain_of_corrections_gives_the_id_to_the_latest_file_still_current(conn, inbox):
    folder = inbox / "correspondents" / "2024-03"
    for name, summary in (("a.xlsx", "Из первого файла"), ("b.xlsx", "Из второго файла"), ("c.xlsx", "Из третьего файла")):
        write_xlsx(folder / name, [report(report_id="7", summary=summary)], headers=HEADERS)
        ingest(conn, inbox)
    summaries = "SELECT summary FROM core.report WHERE external_id = '7'"
    assert conn.execute(summaries).fetchall() == [("Из третьего файла",)]

    write_xlsx(folder / "b.xlsx", [report(report_id="8", summary="Другое сообщение")], headers=HEADERS)
    assert ingest(conn, inbox)["2024-03/b.xlsx"].rows_restored == 0
    assert conn.execute(summaries).fetchall() == [("Из третьего файла",)], "c.xlsx still carries id 7"

    write_xlsx(folder / "c.xlsx", [report(report_id="9", summary="Ещё одно сообщение")], headers=HEADERS)
    assert ingest(conn, inbox)["2024-03/c.xlsx"].rows_restored == 1
    assert conn.execute(summaries).fetchall() == [("Из первого файла",)], "b.xlsx's 7 was withdrawn; a.xlsx's comes back"
    assert file_counts_off(conn) == []
    assert unaccounted_rows(conn) == []


def test_a_report_id_belongs_to_the_later_submission_whichever_file_loads_first(conn, inbox):
    # The mapped tasks of one DAG run load their files in any order; the run's start orders them after earlier
    # runs' files, and the path within the run.
    folder = inbox / "correspondents" / "2024-03"
    write_xlsx(folder / "oral.xlsx", [report(report_id="O-1", summary="Первое сообщение")], headers=HEADERS)
    write_xlsx(folder / "oral_fixed.xlsx", [report(report_id="O-1", summary="Исправлено")], headers=HEADERS)
    run_start = dt.datetime(2024, 4, 10, 9, 0, tzinfo=dt.timezone.utc)

    fixed = ingest_file(conn, inbox, "2024-03/oral_fixed.xlsx", TODAY, submitted_at=run_start)
    conn.commit()
    first = ingest_file(conn, inbox, "2024-03/oral.xlsx", TODAY, submitted_at=run_start)
    conn.commit()

    assert (fixed.rows_loaded, fixed.rows_replaced) == (1, 0)
    assert (first.rows_read, first.rows_loaded, first.rows_withdrawn) == (1, 0, 1), first.describe()
    assert "1 rows withdrawn as a later file of the month gives their report ids" in first.describe()
    assert conn.execute("SELECT summary FROM core.report").fetchall() == [("Исправлено",)]
    replaced_by = conn.execute(
        """SELECT f.inbox_path, b.inbox_path FROM raw.row_replacement h
           JOIN raw.file f ON f.file_id = h.file_id JOIN raw.file b ON b.file_id = h.replaced_by_file_id"""
    ).fetchall()
    assert replaced_by == [("2024-03/oral.xlsx", "2024-03/oral_fixed.xlsx")]
    assert file_counts_off(conn) == []
    assert unaccounted_rows(conn) == []

    # A file found by an earlier run loses to both, even when it is loaded last.
    write_xlsx(folder / "zhezkazgan.xlsx", [report(report_id="O-1", summary="Из раннего запуска")], headers=HEADERS)
    late = ingest_file(conn, inbox, "2024-03/zhezkazgan.xlsx", TODAY, submitted_at=run_start - dt.timedelta(hours=1))
    conn.commit()
    assert (late.rows_loaded, late.rows_withdrawn) == (0, 1)
    assert conn.execute("SELECT summary FROM core.report").fetchall() == [("Исправлено",)]
    assert unaccounted_rows(conn) == []


def test_two_loads_of_a_month_at_once_take_turns_and_settle_a_shared_report_id(conn, inbox, warehouse_url):
    folder = inbox / "correspondents" / "2024-03"
    write_xlsx(folder / "uralsk.xlsx", [report(report_id="U-1", summary="Первое")], headers=HEADERS)
    write_xlsx(folder / "uralsk_fixed.xlsx", [report(report_id="U-1", summary="Исправлено")], headers=HEADERS)
    run_start = dt.datetime(2024, 4, 10, 9, 0, tzinfo=dt.timezone.utc)
    ingest_file(conn, inbox, "2024-03/uralsk.xlsx", TODAY, submitted_at=run_start)  # not committed yet
    outcomes, errors = [], []

    def other_task():
        try:
            with psycopg.connect(warehouse_url) as other:
                outcomes.append(ingest_file(other, inbox, "2024-03/uralsk_fixed.xlsx", TODAY, submitted_at=run_start))
                other.commit()
        except Exception as exc:  # handed to the test thread
            errors.append(exc)

    worker = threading.Thread(target=other_task)
    worker.start()
    with psycopg.connect(warehouse_url, autocommit=True) as watcher:
        waiting = False
        while worker.is_alive() and not waiting:
            (waiting,) = watcher.execute(
                "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted)"
            ).fetchone()
    assert waiting, "the second load of the month waits for the first to end"
    conn.commit()
    worker.join()

    assert errors == []
    assert outcomes[0].rows_replaced == 1
    assert conn.execute("SELECT summary FROM core.report").fetchall() == [("Исправлено",)]
    assert file_counts_off(conn) == []
    assert unaccounted_rows(conn) == []


def test_when_a_correction_goes_the_latest_of_the_rows_it_withdrew_comes_back(conn, inbox):
    folder = inbox / "correspondents" / "2024-03"
    start = dt.datetime(2024, 4, 10, 9, 0, tzinfo=dt.timezone.utc)

    def load(name, summary, hours, report_id="7"):
        write_xlsx(folder / name, [report(report_id=report_id, summary=summary)], headers=HEADERS)
        outcome = ingest_file(conn, inbox, f"2024-03/{name}", TODAY, submitted_at=start + dt.timedelta(hours=hours))
        conn.commit()
        return outcome

    summaries = "SELECT summary FROM core.report WHERE external_id = '7'"
    load("a.xlsx", "Из a", 1)
    load("b.xlsx", "Из b", 2)
    assert load("c.xlsx", "Из c, найден раньше всех", 0).rows_withdrawn == 1
    assert conn.execute(summaries).fetchall() == [("Из b",)]

    assert load("b.xlsx", "Другое сообщение", 3, report_id="8").rows_restored == 1
    assert conn.execute(summaries).fetchall() == [("Из a",)], "a.xlsx was submitted after c.xlsx"
    assert conn.execute(
        """SELECT f.inbox_path, b.inbox_path FROM raw.row_replacement h JOIN raw.file f ON f.file_id = h.file_id
           JOIN raw.file b ON b.file_id = h.replaced_by_file_id"""
    ).fetchall() == [("2024-03/c.xlsx", "2024-03/a.xlsx")], "c.xlsx's row stays withdrawn, now by a.xlsx"

    assert load("a.xlsx", "Ещё одно сообщение", 4, report_id="9").rows_restored == 1
    assert conn.execute(summaries).fetchall() == [("Из c, найден раньше всех",)]
    assert file_counts_off(conn) == []
    assert unaccounted_rows(conn) == []

"""Correspondent intake against a real warehouse: nothing is lost, nothing is loaded twice."""

import datetime as dt


from include.presswatch.intake import discover_files, ingest_file, ingest_inbox
from tests.workbooks import EN_HEADERS, RU_HEADERS, report, write_csv, write_xlsx

TODAY = dt.date(2024, 4, 10)


def table_snapshot(conn):
    """Contents of the data tables, without load timestamps."""
    return {
        "files": conn.execute(
            "SELECT file_id, inbox_path, sha256, status, rows_read, rows_loaded, rows_quarantined FROM raw.file ORDER BY 1"
        ).fetchall(),
        "rows": conn.execute("SELECT file_id, sheet, row_number, payload FROM raw.row ORDER BY 1, 2, 3").fetchall(),
        "reports": conn.execute(
            "SELECT report_key, file_id, row_number, event_date, region_code, category_code, content_hash "
            "FROM core.report ORDER BY 1"
        ).fetchall(),
        "quarantine": conn.execute("SELECT file_id, sheet, row_number, message FROM quarantine.row ORDER BY 1, 2, 3").fetchall(),
        "cases": conn.execute("SELECT * FROM core.legal_case ORDER BY 1").fetchall(),
    }


def mixed_inbox(inbox):
    folder = inbox / "correspondents" / "2024-03"
    write_xlsx(
        folder / "west.xlsx",
        [report(), report(region="Нарния"), report(event_date="32.03.2024", summary=None)],
        title_rows=["Мониторинг нарушений", "Корреспондент: запад", ""],
        extra_sheets={"Инструкция": [["Заполняйте одну строку на одно сообщение"], ["Даты в формате ДД.ММ.ГГГГ"]]},
    )
    write_xlsx(
        folder / "east.xlsx",
        [report(category="civil_claims", case_ref="2-55/2024", case_stage="new claim", amount="1,5 млн"),
         report(category="civil_claims", case_ref=None)],
        headers=EN_HEADERS, sheet="Reports",
    )
    write_csv(folder / "south.csv", [report(region="Шымкент", locality=None), report(category="нечто")], encoding="cp1251")
    (folder / "broken.xlsx").write_bytes(b"this is not a workbook at all")
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4 not a spreadsheet")


def test_every_input_row_ends_in_core_or_quarantine(conn, inbox):
    mixed_inbox(inbox)
    outcomes = {o.inbox_path: o for o in ingest_inbox(conn, inbox, TODAY)}

    assert outcomes["2024-03/broken.xlsx"].status == "quarantined"
    assert outcomes["2024-03/notes.pdf"].status == "quarantined"
    assert {o.status for p, o in outcomes.items() if not p.endswith((".pdf", "broken.xlsx"))} == {"loaded"}
    (raw_rows,) = conn.execute("SELECT count(*) FROM raw.row").fetchone()
    (accepted,) = conn.execute("SELECT count(*) FROM core.report").fetchone()
    (rejected,) = conn.execute("SELECT count(*) FROM quarantine.row").fetchone()
    assert raw_rows == 7
    assert accepted + rejected == raw_rows
    assert (accepted, rejected) == (3, 4)
    unaccounted = conn.execute(
        """SELECT r.file_id, r.sheet, r.row_number FROM raw.row r
           WHERE NOT EXISTS (SELECT 1 FROM core.report c
                             WHERE c.file_id = r.file_id AND c.sheet = r.sheet AND c.row_number = r.row_number)
             AND NOT EXISTS (SELECT 1 FROM quarantine.row q
                             WHERE q.file_id = r.file_id AND q.sheet = r.sheet AND q.row_number = r.row_number)"""
    ).fetchall()
    assert unaccounted == []
    reasons = dict(conn.execute("SELECT inbox_path, reason FROM quarantine.file").fetchall())
    assert "damaged" in reasons["2024-03/broken.xlsx"] or "not a valid" in reasons["2024-03/broken.xlsx"]
    assert "not a spreadsheet" in reasons["2024-03/notes.pdf"]


def test_quarantine_names_sheet_row_column_and_every_reason(conn, inbox):
    mixed_inbox(inbox)
    ingest_inbox(conn, inbox, TODAY)
    messages = dict(conn.execute(
        "SELECT inbox_path || ':' || row_number, message FROM quarantine.row"
    ).fetchall())
    # Three title rows and a header: the first data row is row 5 as a spreadsheet shows it.
    assert messages["2024-03/west.xlsx:6"] == (
        "sheet Отчёт, row 6, column Регион: 'Нарния' is not a region or locality of Kazakhstan in the gazetteer"
    )
    both = messages["2024-03/west.xlsx:7"].splitlines()
    assert "sheet Отчёт, row 7, column Дата события: '32.03.2024' is not a calendar date" in both
    assert "sheet Отчёт, row 7, column Описание: a value is required" in both
    assert messages["2024-03/east.xlsx:3"] == (
        "sheet Reports, row 3, column Case reference: a legal claim needs a case reference"
    )
    assert messages["2024-03/south.csv:3"].startswith("row 3, column Категория: 'нечто' is not a category")
    problems = conn.execute(
        "SELECT column_name, field, value FROM quarantine.row_problem WHERE field = 'region'"
    ).fetchall()
    assert problems == [("Регион", "region", "Нарния")]


def test_loading_an_unchanged_inbox_again_changes_nothing(conn, inbox):
    mixed_inbox(inbox)
    ingest_inbox(conn, inbox, TODAY)
    before = table_snapshot(conn)
    outcomes = ingest_inbox(conn, inbox, TODAY)
    assert {o.status for o in outcomes} == {"unchanged"}
    assert table_snapshot(conn) == before


def test_a_corrected_file_replaces_the_version_it_corrects(conn, inbox):
    path = inbox / "correspondents" / "2024-03" / "west.xlsx"
    write_xlsx(path, [report(), report(region="Нарния")])
    ingest_inbox(conn, inbox, TODAY)
    write_xlsx(path, [report(), report(region="Атырау", locality=None, summary="Полиция не пустила журналиста")])
    outcome = ingest_file(conn, inbox, "2024-03/west.xlsx", TODAY)

    assert (outcome.status, outcome.rows_loaded, outcome.rows_quarantined) == ("loaded", 2, 0)
    statuses = conn.execute("SELECT status, superseded_by FROM raw.file ORDER BY file_id").fetchall()
    assert statuses == [("superseded", outcome.file_id), ("loaded", None)]
    assert conn.execute("SELECT count(*) FROM quarantine.row").fetchone() == (0,)
    assert conn.execute("SELECT count(*) FROM core.report").fetchone() == (2,)
    assert conn.execute("SELECT count(*) FROM raw.row").fetchone() == (4,), "raw keeps every version"


def test_sheets_without_a_header_are_skipped_with_their_reason(conn, inbox):
    mixed_inbox(inbox)
    ingest_inbox(conn, inbox, TODAY)
    (sheets,) = conn.execute("SELECT sheets FROM raw.file WHERE inbox_path = '2024-03/west.xlsx'").fetchone()
    skipped = [s for s in sheets if "skipped" in s]
    assert [s["sheet"] for s in skipped] == ["Инструкция"]
    assert [s["header_row"] for s in sheets if "header_row" in s] == [4]


def test_unknown_columns_are_kept_and_named(conn, inbox):
    write_xlsx(inbox / "correspondents" / "x.xlsx", [report(**{"Internal note": "звонили дважды"})])
    ingest_inbox(conn, inbox, TODAY)
    (unknown,) = conn.execute("SELECT unknown_columns FROM raw.file").fetchone()
    assert unknown == ["Internal note"]
    (payload,) = conn.execute("SELECT payload FROM raw.row").fetchone()
    assert payload["Internal note"] == "звонили дважды"
    # As read: the keys in the order of the file's columns (the note was the last one).
    assert list(payload)[-1] == "Internal note"
    assert list(payload)[:2] == [RU_HEADERS["event_date"], RU_HEADERS["region"]]


def test_formula_like_text_is_stored_as_text(conn, inbox):
    write_csv(inbox / "correspondents" / "f.csv", [report(summary='=HYPERLINK("http://evil")', outlet="@outlet")])
    ingest_inbox(conn, inbox, TODAY)
    assert conn.execute("SELECT summary, outlet FROM core.report").fetchone() == ('=HYPERLINK("http://evil")', "@outlet")


def test_a_future_event_date_is_quarantined(conn, inbox):
    write_csv(inbox / "correspondents" / "future.csv", [report(event_date=dt.date(2024, 5, 1))])
    ingest_inbox(conn, inbox, TODAY)
    (message,) = conn.execute("SELECT message FROM quarantine.row").fetchone()
    assert "column Дата события: the date must be between 01.01.2000 and today (10.04.2024)" in message


def test_hidden_and_lock_files_are_not_inbox_files(inbox):
    folder = inbox / "correspondents" / "2024-03"
    folder.mkdir()
    (folder / "~$west.xlsx").write_bytes(b"lock")
    (folder / ".DS_Store").write_bytes(b"x")
    (folder / "a.csv").write_text("x")
    assert discover_files(inbox) == ["2024-03/a.csv"]


def test_legal_cases_follow_their_reports(conn, inbox):
    folder = inbox / "correspondents"
    write_csv(folder / "feb.csv", [report(event_date=dt.date(2024, 2, 20), category="civil_claims",
                                          case_ref="2-1/2024", case_stage="новый иск", plaintiff="ТОО Альфа",
                                          amount="5 000 000 тг")])
    write_csv(folder / "mar.csv", [report(event_date=dt.date(2024, 3, 14), category="civil_claims",
                                          case_ref="2-1/2024", case_stage="судебное заседание", summary="Суд начал рассмотрение")])
    ingest_inbox(conn, inbox, TODAY)
    case = conn.execute(
        "SELECT first_reported_month, current_stage, plaintiff, amount_claimed_kzt, reports FROM core.legal_case"
    ).fetchone()
    assert case[0] == dt.date(2024, 2, 1)
    assert case[1] == "hearing"
    assert case[2] == "ТОО Альфа"
    assert int(case[3]) == 5_000_000
    assert case[4] == 2

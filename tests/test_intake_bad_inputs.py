"""A corpus of bad files and rows: no crash, no other file affected, every row accounted for with its reason."""

import datetime as dt

import pytest

from include.presswatch.intake import ingest_file, ingest_inbox
from include.presswatch.sources import workbooks
from tests.bad_inputs import bad_files, bad_rows_workbook, refuse_in_the_warehouse
from tests.workbooks import report, write_xlsx

TODAY = dt.date(2024, 4, 10)


def unaccounted_rows(conn):
    """Rows of current file versions that are in neither core, quarantine nor the replacement history."""
    return conn.execute(
        """SELECT f.inbox_path, r.sheet, r.row_number FROM raw.row r JOIN raw.file f USING (file_id)
           WHERE f.status = 'loaded'
             AND NOT EXISTS (SELECT 1 FROM core.report c
                             WHERE (c.file_id, c.sheet, c.row_number) = (r.file_id, r.sheet, r.row_number))
             AND NOT EXISTS (SELECT 1 FROM quarantine.row q
                             WHERE (q.file_id, q.sheet, q.row_number) = (r.file_id, r.sheet, r.row_number))
             AND NOT EXISTS (SELECT 1 FROM raw.row_replacement h
                             WHERE (h.file_id, h.sheet, h.row_number) = (r.file_id, r.sheet, r.row_number))"""
    ).fetchall()


def test_bad_files_are_quarantined_with_their_reason_and_the_rest_loads(conn, inbox, monkeypatch):
    folder = inbox / "correspondents" / "2024-03"
    corpus = bad_files(folder)
    # Limits small enough to reach in a test; the real ones are tens of megabytes and 100 000 rows.
    monkeypatch.setattr(workbooks, "MAX_ROWS_PER_SHEET", 20)
    write_xlsx(folder / "too_many_rows.xlsx", [report(summary=f"Сообщение {n}") for n in range(25)])
    monkeypatch.setattr(workbooks, "MAX_FILE_BYTES", 2 * 1024 * 1024)
    (folder / "too_big.csv").write_bytes(b"x" * (2 * 1024 * 1024 + 1))
    write_xlsx(folder / "good.xlsx", [report(), report(summary="Второе сообщение")])

    outcomes = {o.inbox_path.split("/")[-1]: o for o in ingest_inbox(conn, inbox, TODAY)}

    reasons = {p.split("/")[-1]: r for p, r in conn.execute("SELECT inbox_path, reason FROM quarantine.file")}
    expected = {b.name: b.reason for b in corpus} | {
        "too_many_rows.xlsx": "more than 20 rows", "too_big.csv": "more than the limit of 2.0 MB",
    }
    assert len(expected) >= 15
    for name, fragment in expected.items():
        assert outcomes[name].status == "quarantined", name
        assert fragment in reasons[name], (name, reasons[name])
    assert (outcomes["good.xlsx"].status, outcomes["good.xlsx"].rows_loaded) == ("loaded", 2)
    assert conn.execute("SELECT count(*) FROM core.report").fetchone() == (2,)
    assert unaccounted_rows(conn) == []


def test_bad_rows_are_quarantined_each_with_its_column_and_reason(conn, inbox):
    path = inbox / "correspondents" / "2024-03" / "rows.xlsx"
    expected, good = bad_rows_workbook(path)
    assert len(expected) >= 15

    (outcome,) = ingest_inbox(conn, inbox, TODAY)

    assert (outcome.rows_loaded, outcome.rows_quarantined) == (good, len(expected))
    problems = {}
    for row_number, column, reason in conn.execute(
        """SELECT q.row_number, p.column_name, p.reason FROM quarantine.row q
           JOIN quarantine.row_problem p USING (quarantine_row_id)"""
    ):
        problems.setdefault(row_number, []).append((column, reason))
    for row_number, column, fragment in expected:
        found = problems.get(row_number, [])
        assert any(c == column and fragment in r for c, r in found), (row_number, column, fragment, found)
    messages = dict(conn.execute("SELECT row_number, message FROM quarantine.row"))
    assert messages[3].startswith("sheet Отчёт, row 3, column Дата события: '32.03.2024' is not a calendar date")
    assert unaccounted_rows(conn) == []


def test_formula_and_sql_like_text_is_stored_as_written(conn, inbox):
    bad_rows_workbook(inbox / "correspondents" / "2024-03" / "rows.xlsx")
    ingest_inbox(conn, inbox, TODAY)
    stored = conn.execute("SELECT summary, outlet, source FROM core.report ORDER BY row_number").fetchall()
    assert ("-5 градусов, акимат закрыт", "+7 777", "@tip") in stored
    assert any(s == "'); DROP TABLE core.report; --" for s, _, _ in stored)
    assert conn.execute("SELECT count(*) FROM core.report").fetchone() == (3,)


def test_a_file_the_warehouse_refuses_is_rolled_back_alone_and_named(conn, inbox):
    # A refusal only the server can make (here a trigger standing in for, say, a constraint a migration added).
    folder = inbox / "correspondents" / "2024-03"
    write_xlsx(folder / "a_refused.xlsx", [report(), report(summary="Второе")])
    write_xlsx(folder / "b_fine.xlsx", [report(summary="Третье")])
    refuse_in_the_warehouse(conn)
    try:
        outcomes = {o.inbox_path: o for o in ingest_inbox(conn, inbox, TODAY)}
        refused, fine = outcomes["2024-03/a_refused.xlsx"], outcomes["2024-03/b_fine.xlsx"]
        assert (refused.status, fine.status, fine.rows_loaded) == ("failed", "loaded", 1)
        assert "refused by the test" in refused.describe()
        assert conn.execute("SELECT inbox_path FROM raw.file").fetchall() == [("2024-03/b_fine.xlsx",)]
        assert conn.execute("SELECT summary FROM core.report").fetchall() == [("Третье",)]
        with pytest.raises(RuntimeError, match="a_refused.xlsx: failed"):
            ingest_file(conn, inbox, "2024-03/a_refused.xlsx", TODAY)
    finally:
        conn.rollback()
        conn.execute("DROP TRIGGER IF EXISTS refuse_one_file ON raw.row")
        conn.commit()

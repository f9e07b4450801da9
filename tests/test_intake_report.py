"""Each file's intake report: in the warehouse, as readable files in storage, safe to open in a spreadsheet."""

import csv
import datetime as dt
import re
from pathlib import Path

from include.presswatch import intake_report
from include.presswatch.intake import ingest_inbox
from include.presswatch.normalize.text import spreadsheet_safe
from tests.workbooks import report, write_csv, write_xlsx

TODAY = dt.date(2024, 4, 10)
ROOT = Path(__file__).resolve().parents[1]


def test_the_intake_report_names_every_rejected_value_and_is_written_to_storage(conn, inbox, tmp_path):
    folder = inbox / "correspondents" / "2024-03"
    write_xlsx(folder / "west.xlsx", [report(), report(region="Нарния", **{"Заметка": "x"})],
               extra_sheets={"Инструкция": [["Одна строка — одно сообщение"]]})
    (folder / "broken.xlsx").write_bytes(b"not a workbook")
    storage = tmp_path / "storage"

    outcomes = {o.inbox_path: o for o in ingest_inbox(conn, inbox, TODAY, storage=storage)}

    text = (storage / "intake" / "2024-03" / "west.xlsx.txt").read_text(encoding="utf-8")
    assert "sheet Отчёт, row 3, column Регион: 'Нарния' is not a region or locality" in text
    assert "sheet Инструкция: sheet skipped" in text
    assert "column Заметка: column not recognized" in text
    with (storage / "intake" / "2024-03" / "west.xlsx.csv").open(encoding="utf-8-sig", newline="") as handle:
        lines = list(csv.DictReader(handle))
    assert {"level": "row", "sheet": "Отчёт", "row": "3", "column": "Регион", "value": "Нарния"}.items() <= \
        next(line for line in lines if line["level"] == "row").items()
    broken = (storage / "intake" / "2024-03" / "broken.xlsx.txt").read_text(encoding="utf-8")
    assert "file quarantined" in broken and "not a valid .xlsx" in broken
    assert outcomes["2024-03/west.xlsx"].problems[0] == "Регион: 1 row"
    assert "rejected: Регион: 1 row" in outcomes["2024-03/west.xlsx"].describe()
    view = conn.execute("SELECT level, count(*) FROM quarantine.intake_report GROUP BY 1 ORDER BY 1").fetchall()
    assert view == [("column", 1), ("file", 1), ("row", 1), ("sheet", 1)]


def test_a_file_outside_a_month_folder_is_reported_under_the_load_month(conn, inbox, tmp_path):
    write_csv(inbox / "correspondents" / "north" / "a.csv", [report(region="Нарния")])
    ingest_inbox(conn, inbox, TODAY, storage=tmp_path)
    assert (tmp_path / "intake" / "2024-04" / "north__a.csv.txt").exists()
    assert intake_report.month_folder("2024-03/kk/a.xlsx", TODAY) == "2024-03"


def test_values_that_a_spreadsheet_would_run_are_written_as_text(conn, inbox, tmp_path):
    write_csv(inbox / "correspondents" / "2024-03" / "f.csv", [
        report(region='=HYPERLINK("http://evil.example","Костанай")'),
        report(region="+77001234567"), report(region="-1+1"), report(region="@SUM(1)"),
    ])
    ingest_inbox(conn, inbox, TODAY, storage=tmp_path)
    with (tmp_path / "intake" / "2024-03" / "f.csv.csv").open(encoding="utf-8-sig", newline="") as handle:
        values = [line["value"] for line in csv.DictReader(handle) if line["level"] == "row"]
    assert values == ["'=HYPERLINK(\"http://evil.example\",\"Костанай\")", "'+77001234567", "'-1+1", "'@SUM(1)"]
    assert all(not v.startswith(("=", "+", "-", "@")) for line in values for v in [line])
    # The warehouse keeps what was written.
    assert conn.execute("SELECT count(*) FROM quarantine.row_problem WHERE value LIKE '=HYPERLINK%'").fetchone() == (1,)
    assert spreadsheet_safe(12) == 12 and spreadsheet_safe("Костанай") == "Костанай"


def test_intake_never_builds_sql_from_cell_text():
    """Statements are constants: cell text reaches PostgreSQL only as parameters or through COPY."""
    sources = [
        ROOT / "include/presswatch/intake.py", ROOT / "include/presswatch/intake_report.py",
        ROOT / "include/presswatch/warehouse/load_reports.py", ROOT / "include/presswatch/warehouse/bulk.py",
    ]
    offending = []
    for path in sources:
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"\.execute\(\s*(f[\"']|[\"'][^\"']*[\"']\s*%\s|[^,)]*\.format\()", text):
            offending.append(f"{path.name}: {text[match.start():match.start() + 60]}")
    assert offending == []

"""Confidential reports are counted, never described; no correspondent's contacts reach any draft."""

import datetime as dt
import re

import psycopg

from include.presswatch import monthly
from include.presswatch.intake import ingest_inbox
from include.presswatch.reports import storage as draft_storage
from include.presswatch.reports.docx import docx_text
from include.presswatch.reports.markdown import organisation_contacts
from tests.workbooks import EN_HEADERS, report, write_csv, write_xlsx

MARCH = dt.date(2024, 3, 1)
SECRET = "Источник в акимате передал редакции служебную записку"
SECRET_CLAIM = "Конфиденциальный иск к редакции"
# Independent of the redaction code: what a reader would recognise as an e-mail or a phone number.
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
PHONE = re.compile(r"(?:\+\s?\d|\b8)[\d\s()-]{9,}\d")


def all_draft_texts(month_dir):
    """Every draft of the month, Markdown and the text of the Word files, latest and kept versions."""
    texts = {}
    for path in sorted(month_dir.rglob("monitoring-*")):
        if path.suffix == ".md":
            texts[str(path)] = path.read_text(encoding="utf-8")
        elif path.suffix == ".docx":
            texts[str(path)] = docx_text(path.read_bytes())
    return texts


def test_no_draft_describes_a_confidential_report_or_prints_a_contact(conn, inbox, warehouse_url, tmp_path):
    folder = inbox / "correspondents" / "2024-03"
    write_csv(folder / "west.csv", [
        report(),
        report(confidential="да", summary=SECRET, outlet="Тайная газета", locality="Рудный"),
        report(category="civil_claims", case_ref="2-99/2024", case_stage="new claim", confidential="да",
               plaintiff="Скрытый Истец", summary=SECRET_CLAIM, amount="777777"),
        report(summary="Журналист просит связаться: ivanova.reporter@mail.kz, +7 701 555 12 34 или 8 (777) 123-45-67",
               affected="Иванова Мария Петровна", perpetrator="Сидоров С. С.", source="корреспондент Петров П. П."),
    ])
    write_xlsx(folder / "east.xlsx", [report(summary="The editor can be reached at editor@example.org",
                                             affected="John Doe", source="correspondent Jane Roe")],
               headers=EN_HEADERS, sheet="Reports")
    ingest_inbox(conn, inbox, dt.date(2024, 4, 10))
    conn.commit()
    with psycopg.connect(warehouse_url) as run_conn:
        monthly.run_month(run_conn, MARCH, "run-1", tmp_path)
    # A later report changes the numbers: the kept version 1 is scanned as well as the latest.
    write_csv(folder / "late.csv", [report(summary="Поздний отказ в информации")])
    ingest_inbox(conn, inbox, dt.date(2024, 4, 20))
    conn.commit()
    with psycopg.connect(warehouse_url) as run_conn:
        monthly.run_month(run_conn, MARCH, "run-2", tmp_path)

    month_dir = draft_storage.month_dir(tmp_path, MARCH)
    texts = all_draft_texts(month_dir)
    assert len(texts) == 12, sorted(texts)  # en/ru × md/docx, at the contract paths, in versions/v1 and v2
    allowed = set(organisation_contacts())
    for name, text in texts.items():
        for secret in (SECRET, "Тайная газета", SECRET_CLAIM, "Скрытый Истец", "777", "Рудный", "Rudny"):
            assert secret not in text, f"{secret!r} of a confidential report is in {name}"
        for person in ("Иванова", "Сидоров", "Петров", "John Doe", "Jane Roe"):
            assert person not in text, f"{person!r} is in {name}"
        assert {e.lower() for e in EMAIL.findall(text)} <= allowed, f"an e-mail address is in {name}"
        assert PHONE.findall(text) == [], f"a phone number is in {name}"
        assert "Журналист просит связаться" in text, f"the report itself is described in {name}"
    ru = (month_dir / "monitoring-2024-03.ru.md").read_text(encoding="utf-8")
    # Counted all the same: 4 access reports + the late one, and the confidential claim.
    assert "| **Право на беспрепятственное получение и распространение информации** | **5** |" in ru
    assert "2 сообщения с пометкой «конфиденциально» вошли в подсчёт, но в обзоре не описаны." in ru
    assert "Журналист просит связаться: (…), (…) или (…)" in ru

"""A month's drafts in both languages and both formats, from a real warehouse: what editors open."""

import datetime as dt
import io
import re
import shutil

import psycopg
import pytest

from include.presswatch import monthly
from include.presswatch.intake import ingest_inbox
from include.presswatch.reports import storage as draft_storage
from include.presswatch.reports.docx import docx_text
from include.presswatch.reports.draft_data import collect
from tests.conftest import truncate_data
from tests.workbooks import report, write_csv

MARCH = dt.date(2024, 3, 1)
TODAY = dt.date(2024, 4, 10)
MONTH_FILES = {f"monitoring-2024-03.{lang}.{kind}" for lang in ("en", "ru") for kind in ("md", "docx")} | {
    f"monitoring-2024-03.{chart}.{lang}.png" for chart in ("groups", "regions") for lang in ("en", "ru")}


def publish(warehouse_url, run_id, storage):
    # A connection per run, as each Airflow task has its own.
    with psycopg.connect(warehouse_url) as conn:
        return monthly.run_month(conn, MARCH, run_id, storage)


@pytest.fixture(scope="module")
def march(warehouse_url, tmp_path_factory):
    """One published March for the whole module: the tests only read the files it wrote."""
    tmp_path = tmp_path_factory.mktemp("drafts")
    inbox = tmp_path / "inbox"
    rows = [report(summary=f"Акимат не ответил на запрос № {n}") for n in range(21)]
    rows += [report(category="obstruction_lawful_activity", region="Шымкент", locality=None,
                    summary="Охранник закрыл объектив камеры")]
    rows += [report(category="civil_claims", case_ref="2-77/2024", case_stage="new claim", plaintiff="ТОО «Истец»",
                    amount="1000000", outlet="«Газета»", summary="Иск о защите деловой репутации"),
             report(region="Абайская область", locality="Семей", summary="The hospital refused to comment")]
    write_csv(inbox / "correspondents" / "march.csv", rows)
    with psycopg.connect(warehouse_url) as conn:
        truncate_data(conn)
        ingest_inbox(conn, inbox, TODAY)
        conn.commit()
    storage = tmp_path / "storage"
    result = publish(warehouse_url, "run-1", storage)
    with psycopg.connect(warehouse_url) as conn:  # the month's data again, from the published marts
        monthly.stage(conn, MARCH, "run-again")
        data = collect(conn, MARCH, "run-again")
        monthly.discard(conn, MARCH, "run-again", tmp_path / "scratch")
    return {"result": result, "dir": draft_storage.month_dir(storage, MARCH), "data": data}


def test_both_languages_both_formats_and_the_charts_are_published(march):
    assert MONTH_FILES <= {p.name for p in march["dir"].iterdir()}
    assert {p.rsplit("/", 1)[1] for p in march["result"]["drafts"]} == {n for n in MONTH_FILES if not n.endswith(".png")}


def test_russian_draft_speaks_russian_with_the_right_forms(march):
    text = (march["dir"] / "monitoring-2024-03.ru.md").read_text(encoding="utf-8")
    assert "# Нарушения свободы слова в Казахстане. Март 2024 года" in text
    assert "В марте 2024 года мониторинг зафиксировал 24 сообщения:" in text
    assert "1\u00a0000\u00a0000 тенге" in text
    assert "| 12 марта | Костанай |" in text
    assert "зафиксировано 1 сообщение о воспрепятствовании" in text
    assert "[en] The hospital refused to comment" in text
    assert "**Семей**" in text and "**Шымкент**" in text
    english = (march["dir"] / "monitoring-2024-03.en.md").read_text(encoding="utf-8")
    assert "In March 2024, the monitoring recorded 24 reports:" in english
    assert "[ru] Охранник закрыл объектив камеры" in english
    assert "**Kostanay**" in english


def test_markdown_references_the_charts_beside_it(march):
    for language in ("en", "ru"):
        text = (march["dir"] / f"monitoring-2024-03.{language}.md").read_text(encoding="utf-8")
        images = re.findall(r"!\[[^\]]+\]\(([^)]+)\)", text)
        assert images == [f"monitoring-2024-03.groups.{language}.png", f"monitoring-2024-03.regions.{language}.png"]
        for name in images:
            assert (march["dir"] / name).read_bytes().startswith(b"\x89PNG")


def test_word_draft_has_real_headings_tables_and_pictures(march):
    from docx import Document

    document = Document(io.BytesIO((march["dir"] / "monitoring-2024-03.ru.docx").read_bytes()))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == "Нарушения свободы слова в Казахстане. Март 2024 года"
    assert {"Основные цифры", "Законодательство", "Досудебные и судебные претензии к журналистам и СМИ",
            "С начала года", "О мониторинге"} <= set(headings)
    first_cells = [t.rows[0].cells[0].text for t in document.tables]
    assert first_cells == ["Группа и категория", "Год", "Дата", "Группа"]  # headline, obstruction, claims, ytd
    headline = document.tables[0]
    assert [c.text for c in headline.rows[1].cells] == ["Нарушения прав журналистов, СМИ и ньюсмейкеров", "1"]
    assert headline.rows[1].cells[0].paragraphs[0].runs[0].bold
    assert len(document.inline_shapes) == 2
    assert document.core_properties.title == headings[0]
    assert "15 марта" not in docx_text((march["dir"] / "monitoring-2024-03.ru.docx").read_bytes())
    assert "12 марта" in docx_text((march["dir"] / "monitoring-2024-03.ru.docx").read_bytes())


def test_charts_are_byte_for_byte_reproducible(march):
    from include.presswatch.reports import charts
    from include.presswatch.reports.language import load_language

    data = march["data"]
    labels = {g["code"]: g["label_ru"] for g in data.groups}
    again = charts.groups_chart(data, load_language("ru"), labels)
    assert again == (march["dir"] / "monitoring-2024-03.groups.ru.png").read_bytes()
    assert charts.regions_chart(data, load_language("ru"), "name_ru") == \
        (march["dir"] / "monitoring-2024-03.regions.ru.png").read_bytes()


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (soffice) is not installed; "
                    "apt-get install libreoffice-writer-nogui to check the Word drafts convert to PDF")
def test_libreoffice_converts_the_word_draft_to_pdf(march, tmp_path):
    import subprocess

    out = tmp_path / "pdf"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo-profile",
                    "--convert-to", "pdf", "--outdir", str(out), str(march["dir"] / "monitoring-2024-03.ru.docx")],
                   check=True, capture_output=True, timeout=120)
    pdf = (out / "monitoring-2024-03.ru.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and len(pdf) > 20_000

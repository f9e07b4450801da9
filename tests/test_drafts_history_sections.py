"""The draft's history sections fed from the marts (issue 4): year to date against the previous month and a
year earlier, legal claims year to date, new claims and updates on ongoing cases from core.legal_case, and
refusals of information by who refused — in English and Russian, Markdown and Word, and in a third language
that is only a YAML file."""

import datetime as dt
import io
import shutil

import psycopg
import pytest
import yaml

from include.presswatch import monthly, settings
from include.presswatch.intake import ingest_inbox
from include.presswatch.reports import storage as draft_storage
from include.presswatch.reports.draft_data import collect
from include.presswatch.reports.language import load_language
from include.presswatch.reports.markdown import comparison, ratio_text, render_markdown
from tests.conftest import truncate_data
from tests.workbooks import report, write_csv

MARCH = dt.date(2024, 3, 1)
NEW_SECTIONS = ("ytd_claims", "refusals", "legal_kinds", "case_stages", "case_outcomes", "case_update", "times",
                "percent", "law_codes", "article_format")


def claim(day: dt.date, case_ref: str, **values) -> dict:
    row = dict(category="civil_claims", case_ref=case_ref, case_stage="new claim", plaintiff="ТОО «Истец»",
               amount="1000000", outlet="«Газета»", legal_article="ГК РК ст. 143", event_date=day,
               summary=f"Иск о защите деловой репутации {case_ref}")
    row.update(values)
    return report(**row)


@pytest.fixture(scope="module")
def drafts(warehouse_url, tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("history-drafts")
    inbox = tmp_path / "inbox"
    refusal = dict(category="refusal_restriction_information")
    rows = (
        # March 2024: 6 refusals (state bodies 3, law enforcement 2, a company 1), 3 new civil claims, one update.
        [report(**refusal, perpetrator_type="акимат", summary=f"Акимат отказал в информации № {n}") for n in range(3)]
        + [report(**refusal, perpetrator_type="полиция", summary=f"Полиция отказала № {n}") for n in range(2)]
        + [report(**refusal, perpetrator_type="ТОО", summary="Компания отказала в комментарии")]
        + [claim(dt.date(2024, 3, 12), f"2-{n}/2024", amount=str(2000000 * (n + 1))) for n in range(3)]
        + [claim(dt.date(2024, 3, 20), "2-10/2024", case_stage="hearing", region="Западно-Казахстанская область",
                 locality="Уральск", summary="Суд начал рассмотрение иска к «Газете»")]
        # February 2024: 4 refusals, the case updated in March first reported, one more civil claim.
        + [report(**refusal, event_date=dt.date(2024, 2, 5), summary=f"Отказ в феврале № {n}") for n in range(4)]
        + [claim(dt.date(2024, 2, 7), "2-10/2024", region="Западно-Казахстанская область", locality="Уральск")]
        # 2023: 2 refusals in March, 2 civil claims in January.
        + [report(**refusal, event_date=dt.date(2023, 3, 9), summary=f"Отказ в марте 2023 № {n}") for n in range(2)]
        + [claim(dt.date(2023, 1, 18), f"2-{n}/2023") for n in range(2)]
    )
    write_csv(inbox / "correspondents" / "history.csv", rows)
    with psycopg.connect(warehouse_url) as conn:
        truncate_data(conn)
        ingest_inbox(conn, inbox, dt.date(2024, 4, 10))
        conn.commit()
    storage = tmp_path / "storage"
    with psycopg.connect(warehouse_url) as conn:
        monthly.run_month(conn, MARCH, "run-1", storage)
        monthly.stage(conn, MARCH, "run-again")
        data = collect(conn, MARCH, "run-again")
        monthly.discard(conn, MARCH, "run-again", tmp_path / "scratch")
    folder = draft_storage.month_dir(storage, MARCH)
    return {"dir": folder, "data": data,
            **{lang: (folder / f"monitoring-2024-03.{lang}.md").read_text(encoding="utf-8") for lang in ("en", "ru")}}


def test_ytd_table_compares_with_the_previous_month_and_a_year_earlier(drafts):
    en, ru = drafts["en"], drafts["ru"]
    assert "| Group | January–March 2024 | January–March 2023 | Change | March 2024 | vs February 2024 | vs March 2023 |" in en
    # Right to information: 6 this year so far + 4 in February = 10 against 2; March 6 against 4 and 2.
    assert "| Right to freely receive and disseminate information | 10 | 2 | 5 times more | 6 | 4 (1.5 times more) | 2 (3 times more) |" in en
    assert ("| Право на беспрепятственное получение и распространение информации | 10 | 2 | в 5 раз больше | 6 "
            "| 4 (в 1,5 раза больше) | 2 (в 3 раза больше) |") in ru
    assert "| Март 2024 | По сравнению с февралём 2024 | По сравнению с мартом 2023 |" in ru


def test_legal_claims_year_to_date_sentence_and_amount(drafts):
    en, ru = drafts["en"], drafts["ru"]
    # 3 new claims in March and 1 in February against 2 in January 2023.
    assert "- Civil claims: 4 in January–March 2024, 2 times more than in the same period of 2023." in en
    assert "- Гражданские иски: 4 за январь–март 2024 года, в 2 раза больше, чем за тот же период 2023 года." in ru
    assert "Amount claimed in the new claims of January–March 2024: 13\u00a0000\u00a0000 KZT." in en
    assert "Общая сумма исков по новым претензиям за январь–март 2024 года: 13\u00a0000\u00a0000 тенге." in ru
    assert "By article: CivC 143 — 4." in en and "По статьям: ст. 143 ГК РК — 4." in ru


def test_new_claims_table_and_updates_on_ongoing_cases(drafts):
    en, ru = drafts["en"], drafts["ru"]
    assert "| March 12 | Kostanay | Civil claim | ТОО «Истец» | «Газета» | CivC 143 | 6\u00a0000\u00a0000 |" in en
    assert "| 12 марта | Костанай | Гражданский иск | ТОО «Истец» | «Газета» | ст. 143 ГК РК | 2\u00a0000\u00a0000 |" in ru
    assert ("- **March 20**, Oral (2-10/2024, first reported in February 2024): hearing — "
            "[ru] Суд начал рассмотрение иска к «Газете»") in en
    assert ("- **20 марта**, Уральск (2-10/2024, впервые сообщалось в феврале 2024 года): судебное рассмотрение — "
            "Суд начал рассмотрение иска к «Газете»") in ru


def test_refusals_by_who_refused_with_the_state_share(drafts):
    en, ru = drafts["en"], drafts["ru"]
    assert ("Right to freely receive and disseminate information: 6 reports, including 6 cases of refusal to provide "
            "information, 83% of them by state bodies, law enforcement and state-affiliated organisations; by who "
            "refused: state bodies (incl. local executive bodies) — 3, law enforcement — 2, companies — 1.") in en
    assert ("в том числе 6 случаев отказа в предоставлении информации, из них 83% — со стороны государственных органов, "
            "правоохранительных органов и аффилированных с государством организаций; кто отказал: государственные "
            "органы (в т.ч. местные исполнительные органы) — 3, правоохранительные органы — 2, "
            "коммерческие организации — 1.") in ru
    # In the headline part, before the note on legal proceedings.
    assert en.index("including 6 cases of refusal") < en.index("## State policy")


def test_word_draft_carries_the_sections_as_real_tables(drafts):
    from docx import Document

    document = Document(io.BytesIO((drafts["dir"] / "monitoring-2024-03.ru.docx").read_bytes()))
    ytd = next(t for t in document.tables if t.rows[0].cells[0].text == "Группа")
    assert [c.text for c in ytd.rows[0].cells][4:] == ["Март 2024", "По сравнению с февралём 2024",
                                                       "По сравнению с мартом 2023"]
    assert "2 (в 3 раза больше)" in [c.text for row in ytd.rows for c in row.cells]
    claims = next(t for t in document.tables if t.rows[0].cells[0].text == "Дата")
    assert [c.text for c in claims.rows[1].cells][2:6] == ["Гражданский иск", "ТОО «Истец»", "«Газета»", "ст. 143 ГК РК"]
    paragraphs = [p.text for p in document.paragraphs]
    assert any(p.startswith("Гражданские иски: 4 за январь–март 2024 года") for p in paragraphs)
    assert any("кто отказал: государственные органы" in p for p in paragraphs)
    assert any(p.startswith("20 марта, Уральск (2-10/2024, впервые сообщалось в феврале 2024 года)") for p in paragraphs)


@pytest.mark.parametrize("current,previous,expected", [
    (8, 3, "2.7 times more"), (3, 8, "2.7 times less"), (41, 40, "the same"), (21, 20, "1.1 times more"), (6, 4, "1.5 times more"),
    (0, 3, "—"), (3, 0, "—"),
])
def test_ratio_text(current, previous, expected):
    assert ratio_text(load_language("en"), current, previous) == expected


def test_russian_ratio_takes_the_plural_of_times():
    t = load_language("ru")
    assert [ratio_text(t, c, 1) for c in (2, 5, 21)] == ["в 2 раза больше", "в 5 раз больше", "в 21 раз больше"]
    assert ratio_text(t, 3, 2) == "в 1,5 раза больше"
    assert comparison(3, 3, None, previous_has_data=False) == ("no_data", None)


def test_a_language_file_without_the_new_sections_still_renders_them(drafts, tmp_path, monkeypatch):
    """A third language is data only: a Kazakh file written before these sections existed renders a whole
    draft, its own words where it has them, the English boilerplate where it has not."""
    data_dir = tmp_path / "data"
    shutil.copytree(settings.DATA_DIR / "i18n", data_dir / "i18n")
    for name in ("organisation.yaml", "actor_types.yaml"):
        shutil.copy(settings.DATA_DIR / name, data_dir / name)
    kazakh = yaml.safe_load((settings.DATA_DIR / "i18n" / "ru.yaml").read_text(encoding="utf-8"))
    for key in NEW_SECTIONS:
        kazakh.pop(key, None)
    for key in ("month", "versus", "compared", "note"):
        kazakh["ytd_table"].pop(key)
    kazakh.update(language="kk", locale="kk-KZ", plural={"report": {"one": "хабарлама", "other": "хабарлама"},
                                                         "case": {"one": "жағдай", "other": "жағдай"}})
    kazakh["months"] = {"nominative": ["қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым", "шілде",
                                       "тамыз", "қыркүйек", "қазан", "қараша", "желтоқсан"]}
    kazakh["intro"] = "{year} жылғы {month} айында мониторинг {total} тіркеді:"
    kazakh["ytd_more"] = "{ratio} есе көп"
    (data_dir / "i18n" / "kk.yaml").write_text(yaml.safe_dump(kazakh, allow_unicode=True), encoding="utf-8")
    monkeypatch.setattr(settings, "DATA_DIR", data_dir)
    load_language.cache_clear()
    try:
        text = render_markdown(drafts["data"], "kk", generated="2024-04-10",
                               charts={"groups": "g.png", "regions": "r.png"})
    finally:
        load_language.cache_clear()
    assert "2024 жылғы наурыз айында мониторинг 9 хабарлама тіркеді:" in text
    assert "| 10 | 2 | 5 есе көп | 6 | 4 (1,5 есе көп) | 2 (3 есе көп) |" in text  # its own words, English layout
    assert "including 6 жағдай of refusal to provide information" in text
    assert "4 in January–наурыз 2024, 2 times more than in the same period of 2023." in text

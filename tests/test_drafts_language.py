"""Russian done properly, and a language as data: plural forms, month cases, numbers, script markers."""

import datetime as dt
import shutil

import pytest
import yaml

from include.presswatch import settings
from include.presswatch.reports import language as language_module
from include.presswatch.reports.language import load_language, plural_category, script_of
from include.presswatch.reports.markdown import summary_text

RUSSIAN_REPORTS = {1: "1 сообщение", 2: "2 сообщения", 5: "5 сообщений", 11: "11 сообщений",
                   21: "21 сообщение", 22: "22 сообщения", 25: "25 сообщений", 1000: "1\u00a0000 сообщений"}


@pytest.mark.parametrize("count,expected", sorted(RUSSIAN_REPORTS.items()))
def test_russian_count_takes_the_right_plural_form(count, expected):
    assert load_language("ru").counted("report", count) == expected


@pytest.mark.parametrize("count,category", [(1, "one"), (2, "few"), (5, "many"), (11, "many"), (12, "many"),
                                            (21, "one"), (22, "few"), (25, "many"), (111, "many")])
def test_russian_plural_categories_follow_cldr(count, category):
    assert plural_category("ru", count) == category


def test_english_count_is_singular_only_for_one():
    t = load_language("en")
    assert [t.counted("report", n) for n in (1, 2, 21)] == ["1 report", "2 reports", "21 reports"]


def test_russian_months_take_the_case_the_phrase_needs():
    t = load_language("ru")
    march = t.month_values(dt.date(2024, 3, 1))
    assert t.text("intro", total="7 сообщений", **march).startswith("В марте 2024 года")
    assert t.text("title", **march).endswith("Март 2024 года")
    assert t.day_month(dt.date(2024, 3, 15)) == "15 марта"
    assert t.text("ytd_table.current", **march) == "Январь–март 2024"
    assert load_language("en").day_month(dt.date(2024, 3, 15)) == "March 15"


def test_amounts_are_grouped_with_non_breaking_spaces():
    from decimal import Decimal

    assert load_language("ru").amount(Decimal("1000000")) == "1\u00a0000\u00a0000 тенге"
    assert load_language("en").amount(Decimal("1500000.00")) == "1\u00a0500\u00a0000 KZT"
    assert load_language("ru").number(1.5, 1) == "1,5"


def test_a_summary_in_another_script_is_marked_and_one_in_the_drafts_script_is_not():
    russian, english = "Акимат не ответил на запрос", "The akimat did not answer"
    assert summary_text(load_language("en"), russian) == f"[ru] {russian}"
    assert summary_text(load_language("ru"), english) == f"[en] {english}"
    assert summary_text(load_language("ru"), russian) == russian
    assert summary_text(load_language("en"), english) == english
    assert script_of("СМИ «Ak Zhayik» сообщило") == "cyrillic"
    assert script_of("2024-03") is None


def test_a_third_language_is_only_a_new_yaml_file(tmp_path, monkeypatch):
    data_dir = tmp_path / "data"
    shutil.copytree(settings.DATA_DIR / "i18n", data_dir / "i18n")
    shutil.copy(settings.DATA_DIR / "organisation.yaml", data_dir / "organisation.yaml")
    kazakh = yaml.safe_load((settings.DATA_DIR / "i18n" / "ru.yaml").read_text(encoding="utf-8"))
    kazakh.update(language="kk", locale="kk-KZ", plural={"report": {"one": "хабарлама", "other": "хабарлама"},
                                                         "case": {"one": "жағдай", "other": "жағдай"}})
    kazakh["months"] = {"nominative": ["қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым", "шілде",
                                       "тамыз", "қыркүйек", "қазан", "қараша", "желтоқсан"]}
    kazakh["intro"] = "{year} жылғы {month} айында мониторинг {total} тіркеді:"
    (data_dir / "i18n" / "kk.yaml").write_text(yaml.safe_dump(kazakh, allow_unicode=True), encoding="utf-8")
    monkeypatch.setattr(settings, "DATA_DIR", data_dir)
    load_language.cache_clear()
    try:
        t = load_language("kk")
        assert "kk" in language_module.available_languages()
        assert t.text("intro", total=t.counted("report", 2), **t.month_values(dt.date(2024, 3, 1))) == \
            "2024 жылғы наурыз айында мониторинг 2 хабарлама тіркеді:"
        # Kazakh plural rules come from CLDR without a line of code: 'one' and 'other'.
        assert (plural_category("kk", 1), plural_category("kk", 5)) == ("one", "other")
        # Without a genitive list the nominative stands in, rather than failing.
        assert t.day_month(dt.date(2024, 3, 15)) == "15 наурыз"
    finally:
        load_language.cache_clear()

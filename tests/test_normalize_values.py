"""Values as correspondents write them: dates, yes/no, amounts, stages, places, categories."""

import datetime as dt
from decimal import Decimal

import pytest

from include.presswatch.normalize.categories import resolve_category
from include.presswatch.normalize.places import resolve_locality, resolve_region
from include.presswatch.normalize.rows import outlet_host
from include.presswatch.normalize.values import parse_amount, parse_bool, parse_case_stage, parse_date


@pytest.mark.parametrize("written, expected", [
    ("15.03.2024", dt.date(2024, 3, 15)),
    ("5.3.24", dt.date(2024, 3, 5)),
    ("2024-03-15", dt.date(2024, 3, 15)),
    ("2024-03-15 10:30", dt.date(2024, 3, 15)),
    ("15 марта 2024", dt.date(2024, 3, 15)),
    ("15 марта 2024 г.", dt.date(2024, 3, 15)),
    ("15 March 2024", dt.date(2024, 3, 15)),
    ("15 наурыз 2024", dt.date(2024, 3, 15)),
    ("25/03/2024", dt.date(2024, 3, 25)),
    (45366, dt.date(2024, 3, 15)),
    ("45366", dt.date(2024, 3, 15)),
    (dt.datetime(2024, 3, 15, 9, 0), dt.date(2024, 3, 15)),
])
def test_dates_in_every_accepted_form(written, expected):
    assert parse_date(written) == expected


@pytest.mark.parametrize("written, reason", [
    ("32.03.2024", "not a calendar date"),
    ("03/04/2024", "ambiguous"),
    ("вчера", "not a date"),
    ("15 мартобря 2024", "unknown month"),
    (2024, "a number, not a date"),
])
def test_bad_dates_say_why(written, reason):
    with pytest.raises(ValueError, match=reason):
        parse_date(written)


def test_ambiguous_date_names_both_candidates():
    with pytest.raises(ValueError) as error:
        parse_date("03/04/2024")
    assert "03.04.2024" in str(error.value) and "04.03.2024" in str(error.value)


@pytest.mark.parametrize("written, expected", [
    ("да", True), ("Нет", False), ("yes", True), ("NO", False), ("1", True), (0, False), ("иә", True), ("жоқ", False),
])
def test_yes_no_in_three_languages(written, expected):
    assert parse_bool(written) is expected


def test_unknown_yes_no_is_rejected():
    with pytest.raises(ValueError, match="not yes or no"):
        parse_bool("может быть")


@pytest.mark.parametrize("written, expected", [
    ("1 000 000 тг", Decimal("1000000.00")),
    ("1,5 млн", Decimal("1500000.00")),
    ("500 тыс. тенге", Decimal("500000.00")),
    ("1,000,000", Decimal("1000000.00")),
    (20000000, Decimal("20000000.00")),
    ("2500000.50", Decimal("2500000.50")),
])
def test_amounts_in_tenge(written, expected):
    assert parse_amount(written) == expected


@pytest.mark.parametrize("written", ["много", "-5", "10 долларов"])
def test_bad_amounts_are_rejected(written):
    with pytest.raises(ValueError):
        parse_amount(written)


@pytest.mark.parametrize("written", [
    "99999999999999999", "1" * 30, 1e20, "9999999999999999.999", "50 000 000 000 млн тенге",
])
def test_an_amount_the_warehouse_cannot_hold_is_a_problem_of_its_row(written):
    with pytest.raises(ValueError, match="too large an amount"):
        parse_amount(written)


def test_the_largest_amount_the_warehouse_holds_is_taken_and_minus_zero_is_zero():
    assert str(parse_amount("9999999999999999.99")) == "9999999999999999.99"
    assert str(parse_amount(-0.0)) == "0.00"


def test_case_stages_map_to_codes():
    assert parse_case_stage("Новый иск") == "new_claim"
    assert parse_case_stage("судебное заседание") == "hearing"
    with pytest.raises(ValueError, match="not a known case stage"):
        parse_case_stage("на луне")


@pytest.mark.parametrize("written, region, locality", [
    ("Костанайская обл.", "kostanay", None),
    ("г. Костанай", "kostanay", "kostanay_city"),
    ("Nur-Sultan", "astana", None),
    ("ВКО", "east_kazakhstan", None),
    ("Алматы", "almaty_city", None),
    ("Семей", "abai", "semey"),
    ("Uralsk", "west_kazakhstan", "oral"),
    ("г. Алматы", "almaty_city", None),
    ("город Алматы", "almaty_city", None),
    ("Алматы қаласы", "almaty_city", None),
    ("Алматинская обл.", "almaty_region", None),
    ("Алматы облысы", "almaty_region", None),
])
def test_regions_and_localities_in_any_spelling(written, region, locality):
    place = resolve_region(written)
    assert (place.region_code, place.locality_code) == (region, locality)


def test_unknown_region_is_rejected():
    with pytest.raises(ValueError, match="not a region or locality"):
        resolve_region("Нарния")


def test_locality_outside_the_given_region_is_rejected():
    with pytest.raises(ValueError, match="not in Kostanay Region"):
        resolve_locality("Атырау", "kostanay")


def test_unknown_village_is_kept_without_a_code():
    assert resolve_locality("Жана-Аул", "kostanay") is None


@pytest.mark.parametrize("written, code", [
    ("refusal_restriction_information", "refusal_restriction_information"),
    ("Воспрепятствование законной профессиональной деятельности журналиста", "obstruction_lawful_activity"),
    ("civil lawsuits and pre-trial claims", "civil_claims"),
    ("  DETENTIONS ", "detentions"),
])
def test_categories_by_code_label_or_synonym(written, code):
    assert resolve_category(written) == code


def test_unknown_category_is_rejected():
    with pytest.raises(ValueError, match="not a category"):
        resolve_category("что-то странное")


@pytest.mark.parametrize("written, host", [
    ("https://www.AZH.kz/ru/news", "www.azh.kz"),
    ("tengrinews.kz", "tengrinews.kz"),
    ("http://пример.рф", "xn--e1afmkfd.xn--p1ai"),
])
def test_outlet_websites_become_hosts(written, host):
    assert outlet_host(written) == host


def test_outlet_website_that_is_not_an_address_is_rejected():
    with pytest.raises(ValueError, match="not a website"):
        outlet_host("газета Время")

"""Legal cases: a case is counted once, when first reported as a new claim; every later report on it updates the
case (stage, court, outcome, amounts) and adds a dated event to its history, and is not counted again."""

import datetime as dt

import pytest

from include.presswatch.intake import ingest_inbox
from include.presswatch.warehouse import marts
from include.presswatch.warehouse.legal_cases import actor_type_of, normalize_article, parse_outcome
from tests.workbooks import EN_HEADERS, report, write_csv, write_xlsx

TODAY = dt.date(2024, 4, 5)
FEB, MAR = dt.date(2024, 2, 1), dt.date(2024, 3, 1)
CASE_HEADERS = EN_HEADERS | {"court": "Court", "outcome": "Outcome", "awarded": "Amount awarded, KZT",
                             "plaintiff_type": "Plaintiff type"}


def legal_claims_counted(conn, month, run_id):
    marts.build_stage(conn, month, run_id)
    assert marts.check_stage(conn, run_id) == []
    return dict(conn.execute(
        "SELECT group_code, reports FROM mart_stage.monthly_group_counts WHERE run_id = %s", (run_id,)
    ).fetchall())["legal_claims"]


def test_a_later_report_on_a_known_case_updates_stage_and_history_and_is_not_counted(conn, inbox):
    folder = inbox / "correspondents"
    write_csv(folder / "2024-02/feb.csv", [report(
        event_date=dt.date(2024, 2, 20), category="civil_claims", case_ref="2-1/2024", case_stage="новый иск",
        plaintiff="ТОО Альфа", amount="5 000 000 тг", legal_article="ГК РК ст. 143", outlet="«Уральская неделя»")])
    write_xlsx(folder / "2024-03/mar.xlsx", [
        report(event_date=dt.date(2024, 3, 14), category="civil_claims", case_ref="2-1/2024", case_stage="hearing",
               summary="The court opened the hearing", court="Oral city court"),
        report(event_date=dt.date(2024, 3, 28), category="civil_claims", case_ref="2-1/2024", case_stage="decision",
               summary="The court partly upheld the claim", outcome="claim upheld", awarded="300 000 KZT"),
        report(event_date=dt.date(2024, 3, 5), category="civil_claims", case_ref="2-9/2024", case_stage="new claim",
               plaintiff="Beta LLP", plaintiff_type="company", summary="A new claim", legal_article="Civil Code Art. 143"),
    ], headers=CASE_HEADERS)
    ingest_inbox(conn, inbox, TODAY)

    case = conn.execute(
        """SELECT first_reported_month, current_stage, kind, article_normalized, plaintiff, plaintiff_type, court,
                  outcome, amount_claimed_kzt, amount_awarded_kzt, reports, counted
           FROM core.legal_case WHERE case_ref = '2-1/2024'"""
    ).fetchone()
    assert case == (FEB, "decision", "civil", "CivC 143", "ТОО Альфа", "company", "Oral city court",
                     "ruled_against_media", 5_000_000, 300_000, 3, True)
    history = conn.execute(
        "SELECT sequence, event_date, stage, counted FROM core.legal_case_event WHERE case_ref = '2-1/2024' ORDER BY sequence"
    ).fetchall()
    assert history == [(1, dt.date(2024, 2, 20), "new_claim", True), (2, dt.date(2024, 3, 14), "hearing", False),
                       (3, dt.date(2024, 3, 28), "decision", False)]
    # February counts the case; March counts only its own new claim, not the hearing or the decision.
    assert legal_claims_counted(conn, FEB, "feb") == 1
    assert legal_claims_counted(conn, MAR, "mar") == 1
    claims = conn.execute(
        "SELECT claim_kind, article, new_cases, ytd_new_cases, ytd_amount_claimed_kzt FROM mart_stage.monthly_legal_claims WHERE run_id = 'mar'"
    ).fetchall()
    assert claims == [("civil", "CivC 143", 1, 2, 5_000_000)]


def test_a_case_first_heard_of_at_a_later_stage_is_followed_but_never_counted(conn, inbox):
    write_csv(inbox / "correspondents/mar.csv", [report(
        event_date=dt.date(2024, 3, 14), category="criminal_accusations", case_ref="УД-7/2023",
        case_stage="судебное заседание", legal_article="ч. 3 ст. 274 УК РК")])
    ingest_inbox(conn, inbox, TODAY)
    assert conn.execute("SELECT kind, article_normalized, counted FROM core.legal_case").fetchall() == [
        ("criminal", "CC 274", False)]
    assert conn.execute("SELECT counted FROM core.legal_case_event").fetchall() == [(False,)]
    assert legal_claims_counted(conn, MAR, "mar") == 0


def test_a_withdrawn_file_takes_its_case_events_with_it(conn, inbox):
    path = write_csv(inbox / "correspondents/mar.csv", [
        report(category="civil_claims", case_ref="2-5/2024", case_stage="новый иск"),
        report(category="civil_claims", case_ref="2-5/2024", case_stage="решение", event_date=dt.date(2024, 3, 20)),
    ])
    ingest_inbox(conn, inbox, TODAY)
    assert conn.execute("SELECT count(*) FROM core.legal_case_event").fetchone() == (2,)
    write_csv(path, [report(category="civil_claims", case_ref="2-5/2024", case_stage="новый иск")])
    ingest_inbox(conn, inbox, TODAY)
    assert conn.execute("SELECT reports, current_stage FROM core.legal_case").fetchall() == [(1, "new_claim")]
    assert conn.execute("SELECT count(*) FROM core.legal_case_event").fetchone() == (1,)


@pytest.mark.parametrize("written, normalized, kind", [
    ("ГК РК ст. 143", "CivC 143", "civil"),
    ("Civil Code Art. 143", "CivC 143", "civil"),
    ("ч. 3 ст. 274 УК РК", "CC 274", "criminal"),
    ("Art. 274 CC", "CC 274", "criminal"),
    ("AdmC 73-3", "AdmC 73-3", "administrative"),
    ("ст. 73-3 КоАП РК", "AdmC 73-3", "administrative"),
    ("ч. 1 ст. 456-2 КоАП РК", "AdmC 456-2", "administrative"),
    ("AdmC 456-2 p.1", "AdmC 456-2", "administrative"),
    ("КоАП 456–2 ч. 1", "AdmC 456-2", "administrative"),
])
def test_articles_are_normalized_to_one_spelling(written, normalized, kind):
    article = normalize_article(written)
    assert (article.normalized, article.kind) == (normalized, kind)


def test_an_article_without_a_code_has_no_normalized_spelling():
    assert normalize_article("ст. 143").normalized is None
    assert normalize_article("") is None


@pytest.mark.parametrize("written, code", [
    ("государственный орган", "state_body"), ("local executive body", "state_body"),
    ("Правоохранительные органы", "law_enforcement"), ("state-affiliated organisation", "state_affiliated"),
    ("deputy of the Temirtau city maslikhat", "official"), ("ТОО «Каспий Строй»", "company"),
    ("неизвестно", "unknown"), ("", "unknown"), ("главный врач", "other"),
])
def test_violator_and_plaintiff_types_are_read_from_any_wording(written, code):
    assert actor_type_of(written) == code


def test_an_outcome_is_read_from_its_words_or_implied_by_a_final_stage():
    assert parse_outcome("в иске отказано") == "dismissed"
    assert parse_outcome(None, "settled") == "settled"
    assert parse_outcome(None, "hearing") is None

"""A report's content hash (sql/0055): the SHA-256 of its content columns as the COPY line writes them. The intake
hashes the line it sends; the warehouse rebuilds the same bytes from a stored row (core.report_content_hash),
which is how the migration rehashed the reports stored before it."""

from __future__ import annotations

import datetime as dt

import psycopg
import pytest

from include.presswatch.intake import discover_files, ingest_files
from include.presswatch.normalize.rows import RECORD_FIELDS
from include.presswatch.warehouse.load_reports import content_hash
from include.presswatch.warehouse.migrations import migrate
from include.presswatch.warehouse.reference_sync import sync_reference
from tests.migration_states import migrations_before
from tests.workbooks import EN_HEADERS, report, write_csv

TODAY = dt.date(2024, 4, 10)
SUBMITTED = dt.datetime(2024, 4, 10, 9, 0, tzinfo=dt.timezone.utc)
HEADERS = {
    **EN_HEADERS, "report_id": "Report ID", "outlet_domain": "Website", "affected": "Affected persons",
    "perpetrator": "Alleged violator", "perpetrator_type": "Violator type", "appealed_to_police": "Appealed to police",
    "sent_to_court": "Sent to court", "verdict_for_journalist": "Verdict in favour", "source_url": "Source URL",
}
# Every content column filled somewhere, every character COPY escapes, text beyond ASCII, NULLs and both booleans.
ROWS = [
    report(report_id="1", summary="Tab\there, newline\nthere, back\\slash", outlet="Azattyq",
           outlet_domain="https://www.azattyq.org/a", affected="Ерлан Қ.", perpetrator="Аким\rрайона",
           perpetrator_type="госорган", appealed_to_police="да", sent_to_court="нет", verdict_for_journalist="иә",
           source_url="https://example.kz/x", confidential="да"),
    report(report_id="2", summary="Back\bspace, vertical\vtab, form\ffeed 😀", locality="Деревня без имени",
           category="civil_claims", case_ref="2-117/2024", case_stage="new claim",
           plaintiff="ТОО «Пример»", amount="1,5 млн тг", legal_article="ГК 951"),
    report(report_id="3", summary=r"\N is not NULL", outlet=None, source="соцсети", event_date=dt.date(2024, 3, 1)),
    report(report_id="4", summary="Акимат не ответил на запрос редакции", region="ВКО", locality=None,
           amount="0", confidential="нет"),
]


def _load(conn: psycopg.Connection, inbox, name: str = "hashes.csv") -> None:
    write_csv(inbox / "correspondents" / "2024-03" / name, ROWS, headers=HEADERS)
    outcomes = ingest_files(conn, inbox, discover_files(inbox), TODAY, submitted_at=SUBMITTED, processes=1)
    assert [(o.status, o.rows_loaded, o.rows_quarantined) for o in outcomes] == [("loaded", len(ROWS), 0)]


def _hashes(conn: psycopg.Connection) -> dict[str, tuple[str, str]]:
    """By report id: (stored hash, the warehouse function's hash of the stored row)."""
    return {external_id: (stored, rebuilt) for external_id, stored, rebuilt in conn.execute(
        "SELECT external_id, content_hash, core.report_content_hash(r) FROM core.report r ORDER BY external_id")}


def test_the_intake_stores_the_hash_the_warehouse_rebuilds_from_the_row(conn, inbox):
    _load(conn, inbox)
    hashes = _hashes(conn)
    assert sorted(hashes) == ["1", "2", "3", "4"]
    assert {external_id: stored for external_id, (stored, _) in hashes.items()} == {
        external_id: rebuilt for external_id, (_, rebuilt) in hashes.items()}
    assert len({stored for stored, _ in hashes.values()}) == len(ROWS)
    # What the stored columns were: the rows above did reach every escaped character and every column.
    summary, amount, flags = conn.execute(
        """SELECT string_agg(summary, ' '), sum(amount_claimed_kzt),
                  array_agg(DISTINCT (appealed_to_police, sent_to_court, verdict_for_journalist, confidential)::text)
           FROM core.report""").fetchone()
    assert all(c in summary for c in "\t\n\\\b\v\f😀") and amount == 1_500_000
    assert "(t,f,t,t)" in flags


def test_the_hash_is_the_same_for_a_record_read_back_from_the_warehouse(conn, inbox):
    _load(conn, inbox)
    columns = ", ".join(RECORD_FIELDS)
    for *fields, stored in conn.execute(f"SELECT {columns}, content_hash FROM core.report"):
        assert content_hash(tuple(fields)) == stored


def test_lineage_report_ids_and_duplicate_marks_are_not_content():
    record = dict.fromkeys(RECORD_FIELDS)
    record.update(event_date=dt.date(2024, 3, 12), region_code="kostanay_region", category_code="threats",
                  summary="Угрозы редакции", source="корреспондент", confidential=False)
    same = {**record, "external_id": "17", "duplicate_of": "12"}
    assert content_hash(tuple(record.values())) == content_hash(tuple(same.values()))
    for field, value in [("summary", "Угрозы редакции."), ("confidential", True), ("outlet", "\\N"),
                         ("amount_claimed_kzt", 0)]:
        assert content_hash(tuple({**record, field: value}.values())) != content_hash(tuple(record.values())), field


def test_a_tab_inside_a_value_is_not_a_column_boundary():
    record = dict.fromkeys(RECORD_FIELDS)
    one = {**record, "outlet": "Azattyq\tRadio", "affected": None}
    other = {**record, "outlet": "Azattyq", "affected": "Radio"}
    assert content_hash(tuple(one.values())) != content_hash(tuple(other.values()))


@pytest.fixture
def before_0055(database_factory, tmp_path):
    with psycopg.connect(database_factory()) as conn:
        migrate(conn, migrations_before("0055", tmp_path / "before"))
        sync_reference(conn)
        conn.commit()
        yield conn


def test_the_migration_rehashes_stored_reports_as_the_intake_hashes_them_now(before_0055, conn, inbox, tmp_path):
    _load(before_0055, inbox)
    # The hashes of before (JSON text, which no SQL rebuilds) stand in as text the migration must replace.
    before_0055.execute("UPDATE core.report SET content_hash = 'json:' || external_id")
    before_0055.commit()
    migrate(before_0055)
    rehashed = _hashes(before_0055)

    fresh_inbox = tmp_path / "fresh"
    (fresh_inbox / "correspondents").mkdir(parents=True)
    _load(conn, fresh_inbox)
    assert {k: stored for k, (stored, _) in rehashed.items()} == {k: stored for k, (stored, _) in _hashes(conn).items()}


def test_after_the_migration_the_same_report_sent_again_counts_once(before_0055, inbox):
    _load(before_0055, inbox)
    before_0055.execute("UPDATE core.report SET content_hash = 'json:' || external_id")
    before_0055.commit()
    migrate(before_0055)
    write_csv(inbox / "correspondents" / "2024-03" / "again.csv", [{**r, "report_id": "again-" + r["report_id"]}
                                                                 for r in ROWS], headers=HEADERS)
    ingest_files(before_0055, inbox, ["2024-03/again.csv"], TODAY, submitted_at=SUBMITTED, processes=1)
    by_hash = before_0055.execute(
        "SELECT count(*), count(DISTINCT content_hash) FROM core.report").fetchone()
    assert by_hash == (2 * len(ROWS), len(ROWS))



def test_a_report_withdrawn_before_the_migration_comes_back_with_the_new_hash(before_0055, inbox):
    def send(name: str, report_id: str, summary: str, minutes: int) -> None:
        write_csv(inbox / "correspondents" / "2024-03" / name, [report(report_id=report_id, summary=summary)],
                  headers=HEADERS)
        ingest_files(before_0055, inbox, [f"2024-03/{name}"], TODAY, processes=1,
                     submitted_at=SUBMITTED + dt.timedelta(minutes=minutes))
        before_0055.commit()

    send("a.csv", "X", "Одинаковый текст", 0)
    before_0055.execute("UPDATE core.report SET content_hash = 'json:' || external_id")
    before_0055.commit()
    send("b.csv", "X", "Исправленный текст", 1)  # withdraws a.csv's row, kept whole with its old hash
    migrate(before_0055)
    send("b.csv", "Y", "Другой текст", 2)  # the correction is gone: a.csv's row comes back
    send("c.csv", "Z", "Одинаковый текст", 3)  # the same content as that row
    hashes = _hashes(before_0055)
    assert sorted(hashes) == ["X", "Y", "Z"]
    assert all(stored == rebuilt for stored, rebuilt in hashes.values()), hashes
    assert hashes["X"][0] == hashes["Z"][0]


def test_an_amount_too_large_for_the_warehouse_quarantines_its_row_not_the_file(conn, inbox):
    write_csv(inbox / "correspondents" / "2024-03" / "amounts.csv", [
        report(report_id="1", category="civil_claims", case_ref="2-1/2024", amount="99999999999999999"),
        report(report_id="2", category="civil_claims", case_ref="2-2/2024", amount="9999999999999999.99"),
        report(report_id="3"),
    ], headers=HEADERS)
    (outcome,) = ingest_files(conn, inbox, discover_files(inbox), TODAY, submitted_at=SUBMITTED, processes=1)
    assert (outcome.status, outcome.rows_loaded, outcome.rows_quarantined) == ("loaded", 2, 1)
    (reason,) = conn.execute("SELECT reason FROM quarantine.row_problem").fetchone()
    assert "too large an amount" in reason
    assert all(stored == rebuilt for stored, rebuilt in _hashes(conn).values())

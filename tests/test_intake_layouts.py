"""An inbox in layouts no other test uses loads with exactly the right counts."""

import datetime as dt

from include.presswatch.intake import ingest_inbox
from tests.bad_inputs import unseen_inbox
from tests.test_intake_bad_inputs import unaccounted_rows

TODAY = dt.date(2024, 4, 10)


def test_an_inbox_in_unseen_layouts_loads_with_correct_counts(conn, inbox):
    expected = unseen_inbox(inbox / "correspondents")

    outcomes = {o.inbox_path: o for o in ingest_inbox(conn, inbox, TODAY)}

    got = {p: (o.rows_loaded, o.rows_quarantined) for p, o in outcomes.items()}
    assert got == expected, {p: o.describe() for p, o in outcomes.items()}
    assert unaccounted_rows(conn) == []
    reports = conn.execute(
        "SELECT event_date, region_code, locality_code, category_code, appealed_to_police FROM core.report"
    ).fetchall()
    assert (dt.date(2024, 3, 15), "kostanay", None, "refusal_restriction_information", False) in reports
    assert (dt.date(2024, 3, 20), "north_kazakhstan", None, "threats", True) in reports
    assert (dt.date(2024, 3, 22), "almaty_region", "konaev", "resource_account_blocking", False) in reports
    assert (dt.date(2024, 3, 19), "atyrau", None, "accreditation_denial", None) in reports
    assert (dt.date(2024, 3, 4), "east_kazakhstan", "oskemen", "threats", None) in reports
    (unknown,) = conn.execute(
        "SELECT unknown_columns FROM raw.file WHERE inbox_path = '2024-03/qostanay_nauryz.xlsx'"
    ).fetchone()
    assert unknown == ["Ескерту"]
    (sheets,) = conn.execute("SELECT sheets FROM raw.file WHERE inbox_path = '2024-03/west.ods'").fetchone()
    assert [s["sheet"] for s in sheets if "skipped" in s] == ["Notes"]
    (message,) = conn.execute(
        "SELECT message FROM quarantine.row WHERE inbox_path = '2024-03/qostanay_nauryz.xlsx'"
    ).fetchone()
    assert message.startswith("sheet Есеп, row 8, column Санат: 'Бір нәрсе' is not a category")

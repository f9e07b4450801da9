"""Which month a run reports on."""

import datetime as dt

import pytest

from include.presswatch.monthly import parse_month, previous_month, resolve_month


def test_month_param_wins():
    assert resolve_month("2024-03", dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)) == dt.date(2024, 3, 1)


def test_scheduled_run_reports_on_the_previous_month_in_almaty_time():
    # 1 April 00:30 in Almaty is still 31 March in UTC: the run reports on March either way.
    assert resolve_month(None, dt.datetime(2024, 3, 31, 19, 30, tzinfo=dt.timezone.utc)) == dt.date(2024, 3, 1)
    # 06:00 on 1 January in Almaty reports on December of the year before.
    assert previous_month(dt.datetime(2024, 1, 1, 1, 0, tzinfo=dt.timezone.utc)) == dt.date(2023, 12, 1)


@pytest.mark.parametrize("text", ["2024-13", "2024-3", "March 2024", "", "2024-03-01"])
def test_bad_month_is_refused(text):
    with pytest.raises(ValueError, match="YYYY-MM"):
        parse_month(text)

"""The data-quality suite reuses each expectation's configuration while it runs (report_suite._configurations_kept):
the same results as GX on its own, far fewer builds, and GX's property back afterwards."""

from __future__ import annotations

import datetime as dt

import pytest

from include.presswatch.normalize.rows import NormalizedRow
from include.presswatch.quality import report_suite
from tests.suite_rows import GROUPS, REGIONS, TODAY, suite_row as _row


def _rows_breaking_every_rule() -> list[NormalizedRow]:
    return [
        _row(2),
        _row(3, summary=None, source=None),
        _row(4, event_date=dt.date(1924, 3, 1)),
        _row(5, event_date=None),
        _row(6, region_code="atlantis"),
        _row(7, category_code="gossip"),
        _row(8, category_code="defamation_suit"),  # a legal claim without a case reference
        _row(9, category_code="defamation_suit", case_ref="2-1234/24"),
        _row(10, region_code=None, category_code=None),
    ]


def _outcomes(result) -> list[tuple]:
    return sorted(
        (o.expectation_config.meta["rule"], o.success, sorted(int(i) for i in o.result.get("unexpected_index_list") or []))
        for o in result.results
    )


def _suite_and_frame():
    batch_definition, suite, rules = report_suite._prepared_suite(REGIONS, tuple(sorted(GROUPS)), TODAY)
    return batch_definition, suite, rules, report_suite._frame(_rows_breaking_every_rule(), GROUPS)


def test_kept_configurations_give_what_gx_gives_on_its_own():
    batch_definition, suite, rules, frame = _suite_and_frame()
    alone = _outcomes(report_suite._run_suite(batch_definition, suite, frame, keep_configurations=False))
    kept = _outcomes(report_suite._run_suite(batch_definition, suite, frame))
    assert kept == alone
    assert len(alone) == len(rules)
    assert not any(success for _, success, _ in alone), "every rule must be broken for the comparison to mean much"


def test_each_instance_builds_its_configuration_once(monkeypatch):
    from great_expectations.expectations.expectation import Expectation

    builds = []
    gx_own = Expectation.__dict__["configuration"]

    def counted(self):
        builds.append(self)
        return gx_own.fget(self)

    monkeypatch.setattr(Expectation, "configuration", property(counted))
    batch_definition, suite, rules, frame = _suite_and_frame()
    report_suite._run_suite(batch_definition, suite, frame, keep_configurations=False)
    alone, builds[:] = len(builds), []
    report_suite._run_suite(batch_definition, suite, frame)
    kept = len(builds)
    # GX makes a dozen or so instances of each expectation during a run; each now builds its configuration once.
    assert kept * 5 < alone, (kept, alone)


def test_gx_gets_its_property_back_even_when_the_suite_fails():
    from great_expectations.expectations.expectation import Expectation

    gx_own = Expectation.__dict__["configuration"]
    with pytest.raises(ZeroDivisionError):
        with report_suite._configurations_kept():
            assert Expectation.__dict__["configuration"] is not gx_own
            1 / 0
    assert Expectation.__dict__["configuration"] is gx_own


def test_validate_reports_each_broken_rule_of_each_row():
    found = report_suite.validate(_rows_breaking_every_rule(), list(REGIONS), GROUPS, TODAY)
    reasons = {index: sorted(p.field for p in problems) for index, problems in found.items()}
    assert reasons == {
        1: ["source", "summary"],
        2: ["event_date"],
        3: ["event_date"],
        4: ["region"],
        5: ["category"],
        6: ["case_ref"],
        8: ["category", "region"],
    }

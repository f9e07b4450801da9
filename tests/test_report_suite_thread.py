"""The data-quality suite runs GX in a daemon thread of its own that holds the suite's lock while GX works
(report_suite._in_a_thread_of_its_own, _validated): the caller's frames stay out of what GX leaves behind, a
process validates one frame at a time, and a stopping process does not wait for GX."""

from __future__ import annotations

import threading

import pytest

from include.presswatch.quality import report_suite
from tests.suite_rows import GROUPS, REGIONS, TODAY, suite_row as _row


def test_gx_runs_in_a_daemon_thread_holding_the_lock(monkeypatch):
    seen = {}
    run_suite = report_suite._run_suite

    def watched(*args, **kwargs):
        thread = threading.current_thread()
        seen.update(thread=thread.ident, daemon=thread.daemon, locked=report_suite._lock.locked())
        return run_suite(*args, **kwargs)

    monkeypatch.setattr(report_suite, "_run_suite", watched)
    problems = report_suite.validate([_row(2), _row(3, region_code="atlantis")], list(REGIONS), GROUPS, TODAY)

    assert seen["thread"] != threading.get_ident()
    assert seen["daemon"] is True
    assert seen["locked"] is True
    assert not report_suite._lock.locked(), "the lock is given back when GX is done"
    assert [(index, [p.field for p in found]) for index, found in problems.items()] == [(1, ["region"])]


def test_an_error_in_the_suite_reaches_the_caller_and_frees_the_lock(monkeypatch):
    def broken(*args, **kwargs):
        raise LookupError("metric not found")

    monkeypatch.setattr(report_suite, "_run_suite", broken)
    with pytest.raises(LookupError, match="metric not found"):
        report_suite.validate([_row(2)], list(REGIONS), GROUPS, TODAY)
    assert not report_suite._lock.locked()


def test_validations_take_turns(monkeypatch):
    """A second validation in the process waits while the first one's GX thread works."""
    release, started = threading.Event(), threading.Event()
    run_suite = report_suite._run_suite
    order = []

    def slow(*args, **kwargs):
        order.append("begins")
        started.set()
        release.wait(timeout=30)
        order.append("ends")
        return run_suite(*args, **kwargs)

    monkeypatch.setattr(report_suite, "_run_suite", slow)
    frame = report_suite._frame([_row(2)], GROUPS)
    first = threading.Thread(
        target=report_suite._in_a_thread_of_its_own,
        args=(report_suite._validated, frame, REGIONS, tuple(sorted(GROUPS)), TODAY),
        daemon=True,
    )
    first.start()
    assert started.wait(timeout=30)
    assert report_suite._lock.locked()

    def second_run(*args, **kwargs):
        order.append("second")
        return run_suite(*args, **kwargs)

    monkeypatch.setattr(report_suite, "_run_suite", second_run)
    second = threading.Thread(target=report_suite.validate, args=([_row(3)], list(REGIONS), GROUPS, TODAY),
                              daemon=True)
    second.start()
    second.join(timeout=0.5)
    assert second.is_alive() and order == ["begins"], "the second validation must wait while GX holds the lock"
    release.set()
    second.join(timeout=30)
    first.join(timeout=30)
    assert order == ["begins", "ends", "second"]

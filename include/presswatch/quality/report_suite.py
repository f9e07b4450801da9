"""The Great Expectations suite every normalized report must pass before it reaches ``core.report``.

The suite runs on a pandas frame of the normalized rows with GX Core (ephemeral context, suite in
code) and returns, per failing row, one problem per broken rule. Value sets come from the warehouse's
dimension tables, so a row is only accepted when its codes are ones the warehouse knows.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import threading
from dataclasses import dataclass
from functools import lru_cache

from ..normalize.rows import NormalizedRow, Problem

log = logging.getLogger(__name__)

# Earliest event date the service monitors; older dates are typos (e.g. 01.03.1924).
EARLIEST_EVENT = dt.date(2000, 1, 1)


@dataclass(frozen=True)
class Rule:
    field: str  # presswatch field the rule is about (for the column name in the message)
    column: str  # column of the frame the expectation checks
    reason: str


def _expectations(known_regions: list[str], known_categories: list[str], today: dt.date):
    from great_expectations import expectations as gxe

    required = {
        "event_date": "event_date", "region": "region_code", "category": "category_code",
        "summary": "summary", "source": "source",
    }
    pairs = [
        (gxe.ExpectColumnValuesToNotBeNull(column=column), Rule(field_name, column, "a value is required"))
        for field_name, column in required.items()
    ]
    pairs += [
        (
            gxe.ExpectColumnValuesToBeBetween(
                column="event_date",
                min_value=dt.datetime.combine(EARLIEST_EVENT, dt.time()),
                max_value=dt.datetime.combine(today, dt.time()),
            ),
            Rule("event_date", "event_date",
                 f"the date must be between {EARLIEST_EVENT:%d.%m.%Y} and today ({today:%d.%m.%Y})"),
        ),
        (
            gxe.ExpectColumnValuesToBeInSet(column="region_code", value_set=known_regions),
            Rule("region", "region_code", "the region is not in the warehouse's gazetteer"),
        ),
        (
            gxe.ExpectColumnValuesToBeInSet(column="category_code", value_set=known_categories),
            Rule("category", "category_code", "the category is not in the warehouse's taxonomy"),
        ),
        (
            gxe.ExpectColumnValuesToNotBeNull(
                column="case_ref", row_condition='group_code=="legal_claims"', condition_parser="pandas"
            ),
            Rule("case_ref", "case_ref", "a legal claim needs a case reference"),
        ),
    ]
    return pairs


# Every failing row's index (COMPLETE), without the query text GX would also build from those indexes for each
# failing rule, which nothing here reads: a 16,000-row chunk validated in 0.075 s instead of 0.081.
RESULT_FORMAT = {"result_format": "COMPLETE", "return_unexpected_index_query": False}
_lock = threading.Lock()
# pandas' datetime64[ns] spans 1677-09-21 to 2262-04-11; a date outside (01.03.1024, a typo) stands in the
# frame as the nearest day inside, which breaks the date rule just the same, and is reported as written.
_FRAME_FIRST_DAY, _FRAME_LAST_DAY = dt.date(1678, 1, 1), dt.date(2262, 1, 1)


def _in_frame_range(day: dt.date | None) -> dt.date | None:
    if day is None:
        return None
    return min(max(day, _FRAME_FIRST_DAY), _FRAME_LAST_DAY)


@lru_cache(maxsize=8)
def _prepared_suite(known_regions: tuple[str, ...], categories: tuple[str, ...], today: dt.date):
    """One GX context, batch definition and suite per process and set of reference codes.

    Building a context costs a quarter of a second; validating a frame of a few thousand rows costs less.
    """
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    batch_definition = (
        context.data_sources.add_pandas("intake")
        .add_dataframe_asset("normalized_reports")
        .add_batch_definition_whole_dataframe("whole_frame")
    )
    suite = gx.ExpectationSuite(name="correspondent_reports")
    pairs = _expectations(list(known_regions), list(categories), today)
    rules = {}
    for number, (expectation, rule) in enumerate(pairs):
        # Suites that are never saved have no expectation ids: tag each rule to find it in the results.
        expectation.meta = {"rule": number}
        suite.add_expectation(expectation)
        rules[number] = rule
    return batch_definition, suite, rules


@contextlib.contextmanager
def _configurations_kept():
    """While a suite runs, each expectation builds its configuration once.

    GX 1.x rebuilds an expectation's configuration (a pydantic ``dict()`` and a class-name regex) every time it
    is read, and reads it once per keyword of every metric: about 1,100 builds per validation of this suite,
    half of a call's fixed cost. Nothing changes an expectation while its suite runs, so the first build is
    reused until the validation ends; then the property is GX's own again. Only entered under ``_lock``, and
    only the validating thread is served from it.
    """
    from great_expectations.expectations.expectation import Expectation

    original = Expectation.__dict__["configuration"]
    built: dict[int, tuple[object, object]] = {}  # id → (expectation, configuration); the pair keeps the id valid
    validating = threading.get_ident()

    def configuration(self):
        if threading.get_ident() != validating:  # GX used by another thread meanwhile: its own property
            return original.fget(self)
        found = built.get(id(self))
        if found is None or found[0] is not self:
            found = built[id(self)] = (self, original.fget(self))
        return found[1]

    Expectation.configuration = property(configuration)
    try:
        yield
    finally:
        Expectation.configuration = original


def _in_a_thread_of_its_own(function, *args):
    """``function(*args)``, run in a new thread while this one waits.

    GX leaves reference cycles behind (pydantic's caught validation errors and its first imports keep their
    tracebacks), and a frame kept by a traceback keeps its callers' frames and their variables: called from
    here, the rows of a whole chunk would live on until the cyclic collector ran, which then had to walk them
    all. A new thread's frames end at the thread: what GX leaves behind holds only the suite's own data frame.
    """
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["result"] = function(*args)
        except BaseException as exc:  # noqa: BLE001 — raised again in the calling thread
            outcome["error"] = exc

    # A daemon: a process stopping (a task's timeout) does not wait for GX to finish.
    thread = threading.Thread(target=run, name="data-quality-suite", daemon=True)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]


def _run_suite(batch_definition, suite, frame, keep_configurations: bool = True):
    with _configurations_kept() if keep_configurations else contextlib.nullcontext():
        batch = batch_definition.get_batch(batch_parameters={"dataframe": frame})
        # The frame's own index is each row's position: GX lists it for a failing row as it is, where a named
        # id column would be looked up row by row (a pandas scalar access per failing row and rule).
        return batch.validate(suite, result_format=RESULT_FORMAT)


def _validated(frame, known_regions: tuple[str, ...], categories: tuple[str, ...], today: dt.date):
    """The suite's result for the frame, and its rules by number; builds the suite the first time.

    GX contexts are not safe to share between threads: a process validates one frame at a time. The lock is
    held by the thread that runs GX, so that it stays held until GX is done even if the caller stops waiting."""
    with _lock:
        batch_definition, suite, rules = _prepared_suite(known_regions, categories, today)
        return _run_suite(batch_definition, suite, frame), rules


def warm_up(known_regions: list[str], category_groups: dict[str, str], today: dt.date) -> None:
    """Import GX and build the suite now (a second or two, once per process), e.g. before forking workers."""
    _prepared_suite(tuple(known_regions), tuple(sorted(category_groups)), today)


def _frame(rows: list[NormalizedRow], category_groups: dict[str, str]):
    """The columns the suite checks, one row per normalized row, indexed by the row's position in ``rows``."""
    import pandas as pd

    first, last = _FRAME_FIRST_DAY, _FRAME_LAST_DAY
    days = [r.record["event_date"] for r in rows]
    return pd.DataFrame(
        {
            # Nanosecond precision: GX compares only datetime64[ns] columns vectorized (pandas 3 infers [us] from
            # dates, and GX then calls a Python function per value).
            "event_date": pd.to_datetime(
                [d if d is None or first <= d <= last else _in_frame_range(d) for d in days]
            ).astype("datetime64[ns]"),
            "region_code": [r.record["region_code"] for r in rows],
            "category_code": [r.record["category_code"] for r in rows],
            "group_code": [category_groups.get(r.record["category_code"] or "") for r in rows],
            "summary": [r.record["summary"] for r in rows],
            "source": [r.record["source"] for r in rows],
            "case_ref": [r.record["case_ref"] for r in rows],
        }
    )


def validate(
    rows: list[NormalizedRow],
    known_regions: list[str],
    category_groups: dict[str, str],
    today: dt.date,
) -> dict[int, list[Problem]]:
    """Problems per row index for the rows that break a rule of the suite.

    Pass all rows of a file, or of several files, at once: the suite's cost is mostly per call.
    """
    if not rows:
        return {}
    frame = _frame(rows, category_groups)
    result, rules = _in_a_thread_of_its_own(
        _validated, frame, tuple(known_regions), tuple(sorted(category_groups)), today)
    problems: dict[int, list[Problem]] = {}
    for outcome in result.results:
        if outcome.exception_info.get("raised_exception"):
            raise RuntimeError(f"data-quality rule failed to run: {outcome.exception_info.get('exception_message')}")
        if outcome.success:
            continue
        rule = rules[outcome.expectation_config.meta["rule"]]
        for failing in outcome.result.get("unexpected_index_list") or []:
            index = int(failing)
            row = rows[index]
            if any(p.field == rule.field for p in row.problems):
                continue  # the parser already said precisely what is wrong with this value
            value = row.record.get(rule.column)  # as normalized, not as the frame holds it
            shown = None if value is None else f"{value:%d.%m.%Y}" if isinstance(value, dt.date) else str(value)
            problems.setdefault(index, []).append(Problem(rule.field, rule.field, shown, rule.reason))
    log.info("data-quality suite: %d rules, %d of %d rows failed", len(rules), len(problems), len(rows))
    return problems

"""What one file or chunk leaves behind once it is done: nothing kept alive by a reference cycle.

A sheet or a chunk of rows held by a cycle lives until the cyclic collector runs, and that collector then walks
every object of it; worker processes run without it between chunks (intake_workers). Each test drops its own
references with the collector off and looks whether the objects are gone at once."""

from __future__ import annotations

import datetime as dt
import gc
import weakref

import pytest

from include.presswatch import intake_workers
from include.presswatch.intake_prepare import PrepareTask
from include.presswatch.normalize.headers import find_header
from include.presswatch.normalize.rows import NormalizedRow, normalize_sheet
from include.presswatch.quality import report_suite
from include.presswatch.sources.workbooks import Workbook, _sheet_from_grid

TODAY = dt.date(2024, 4, 10)
HEADER = ["№ сообщения", "Дата события", "Регион", "Город", "Категория", "СМИ", "Описание", "Источник"]


class GridRow(list):
    """A sheet row the test can hold a weak reference to."""


def grid(rows: int) -> list[list[object]]:
    data = [GridRow(["Мониторинг нарушений свободы слова"]), GridRow(HEADER)]
    data += [GridRow([f"R-{n}", "12.03.2024", "Костанайская область", "Костанай", "threats", "TobolInfo",
                      f"Угрозы редакции, {n}", "корреспондент"]) for n in range(rows)]
    return data


@pytest.fixture
def collector_off():
    enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    yield
    if enabled:
        gc.enable()


def test_the_header_search_keeps_no_row_of_the_sheet(collector_off):
    rows = grid(5)
    watched = [weakref.ref(row) for row in rows]
    header = find_header(rows)
    assert header is not None and header.row_index == 1
    del rows
    assert [ref() for ref in watched] == [None] * len(watched)


def test_the_suite_keeps_no_row_it_checked(collector_off):
    book = Workbook()
    _sheet_from_grid("Отчёт", grid(40), book)
    rows: list[NormalizedRow] = normalize_sheet(book.sheets[0])
    rows[3].record["region_code"] = "narnia"  # one row the suite refuses, so that it reports something
    del book
    watched = [weakref.ref(row) for row in rows]
    problems = report_suite.validate(rows, ["kostanay"], {"threats": "journalist_media_rights"}, TODAY)
    assert list(problems) == [3]
    del rows
    assert sum(ref() is not None for ref in watched) == 0


def test_workers_run_below_the_loading_process_without_the_cyclic_collector(monkeypatch):
    import os

    from include.presswatch import intake_prepare

    # What a worker prepares is replaced by how it is set up (fork: the patch reaches the workers).
    monkeypatch.setattr(intake_prepare, "prepare_files",
                        lambda task: [(os.getpriority(os.PRIO_PROCESS, 0), gc.isenabled())])
    task = PrepareTask(intake_prepare.Path("."), ["2024-03/a.xlsx"], TODAY, {}, None, ["almaty_city"],
                       {"threats": "journalist_media_rights"})
    with intake_workers.prepared_chunks([task, task, task], processes=2) as chunks:
        seen = [found for chunk in chunks for found in chunk]
    own = os.getpriority(os.PRIO_PROCESS, 0)
    assert len(seen) == 3
    assert all(priority > own or own >= 19 for priority, _ in seen), (own, seen)
    assert not any(collecting for _, collecting in seen)

"""Backfill: rebuild the monthly summary of every month of a range, oldest first, through the monthly_summary DAG.

What ``make backfill FROM=YYYY-MM TO=YYYY-MM`` calls. Each month is one run of the DAG (``dag.test``, in this
process), so a backfilled month goes through exactly the stage → check → render → publish of a scheduled run.
A month's run reads core for that month's own window and replaces only that month's marts and drafts, so the
months can be rebuilt in any order, any number of times: backfilling a range twice gives the same marts.

The inbox is ingested first (the correspondent_reports DAG) unless ``ingest=False``: the history must be in
core before the months are rebuilt from it.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import time
from dataclasses import dataclass

from . import airflow_env, settings

log = logging.getLogger(__name__)


@dataclass
class MonthRun:
    month: str
    state: str
    seconds: float


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    """Every first-of-month from ``first`` to ``last`` inclusive."""
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


def _load_dag(dag_id: str):
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(settings.PROJECT_ROOT / "dags" / f"{dag_id}.py"))
    if bag.import_errors:
        raise RuntimeError(f"{dag_id}: the DAG file does not import: {bag.import_errors}")
    return bag.get_dag(dag_id)


def _test_run(dag, conf: dict) -> str:
    run = dag.test(run_conf=conf)
    state = str(getattr(run, "state", "unknown"))
    if "success" not in state:
        raise RuntimeError(f"{dag.dag_id} {conf}: run ended in state {state}; see the task logs above")
    return state


def backfill(first: str, last: str, storage: str | None = None, inbox: str | None = None,
             ingest: bool = True) -> list[MonthRun]:
    """Rebuild and publish every month from ``first`` to ``last`` (YYYY-MM); returns one MonthRun per month.

    Stops at the first month whose run fails (its previous marts and drafts stay in place)."""
    from .monthly import parse_month
    from .warehouse.connection import warehouse_url

    start, end = parse_month(first), parse_month(last)
    if start > end:
        raise ValueError(f"FROM ({first}) is after TO ({last})")
    os.environ.setdefault("PRESSWATCH_TASK_RETRIES", "0")  # someone is waiting: fail at once
    airflow_env.configure()
    warehouse_url()  # starts the embedded warehouse when WAREHOUSE_URL is not set
    airflow_env.migrate_metadata_db()
    storage_path = str(settings.storage_dir(storage).resolve())
    if ingest:
        _test_run(_load_dag("correspondent_reports"), {"inbox": str(settings.inbox_dir(inbox).resolve())})
    dag = _load_dag("monthly_summary")
    runs = []
    for month in months_between(start, end):
        began = time.perf_counter()
        state = _test_run(dag, {"month": f"{month:%Y-%m}", "storage": storage_path})
        runs.append(MonthRun(f"{month:%Y-%m}", state, time.perf_counter() - began))
        log.info("backfilled %s in %.1f s", f"{month:%Y-%m}", runs[-1].seconds)
    return runs


def main(args) -> int:
    """The ``backfill`` subcommand of the CLI."""
    began = time.perf_counter()
    try:
        runs = backfill(args.first, args.last, storage=args.storage, inbox=args.inbox, ingest=not args.no_ingest)
    except ValueError as exc:
        print(f"presswatch: {exc}")
        return 2
    total = time.perf_counter() - began
    print(f"\npresswatch backfill: {len(runs)} months published ({runs[0].month} … {runs[-1].month}) in {total:.0f} s"
          f" ({sum(r.seconds for r in runs) / len(runs):.1f} s per month)")
    return 0

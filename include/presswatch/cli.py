"""Command line of presswatch: what ``make demo`` and ``make run`` call.

The DAGs run through Airflow itself (``dag.test``, in this process), against the warehouse of
WAREHOUSE_URL or the embedded one.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys

from . import airflow_env, settings

log = logging.getLogger("presswatch")

DEMO_MONTH = "2024-03"


def _run_dag(dag_id: str, conf: dict):
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(settings.PROJECT_ROOT / "dags" / f"{dag_id}.py"))
    if bag.import_errors:
        raise SystemExit(f"{dag_id}: the DAG file does not import: {bag.import_errors}")
    dag = bag.get_dag(dag_id)
    print(f"\n=== running DAG {dag_id} with {json.dumps(conf)}", flush=True)
    run = dag.test(run_conf=conf)
    state = str(getattr(run, "state", "unknown"))
    if "success" not in state:
        raise SystemExit(f"{dag_id}: run ended in state {state}; see the task logs above")
    return run


def _available_dags() -> set[str]:
    return {p.stem for p in (settings.PROJECT_ROOT / "dags").glob("*.py")}


def run_month(month: str, inbox: str | None, storage: str | None) -> dict:
    """Ingest the inbox (correspondents, then registers), then build and publish the month."""
    from .monthly import parse_month
    from .warehouse.connection import warehouse_url

    parse_month(month)  # a wrong month fails here, before any work
    # Someone is waiting at the terminal: fail at once instead of retrying minutes later.
    os.environ.setdefault("PRESSWATCH_TASK_RETRIES", "0")
    airflow_env.configure()
    url = warehouse_url()  # starts the embedded warehouse when WAREHOUSE_URL is not set
    airflow_env.migrate_metadata_db()
    inbox_path = str(settings.inbox_dir(inbox).resolve())
    storage_path = str(settings.storage_dir(storage).resolve())
    _run_dag("correspondent_reports", {"inbox": inbox_path})
    if "registry_notices" in _available_dags():
        _run_dag("registry_notices", {"inbox": inbox_path})
    _run_dag("monthly_summary", {"month": month, "storage": storage_path})
    return headline(url, month)


def headline(url: str, month: str) -> dict:
    import psycopg

    with psycopg.connect(url) as conn:
        groups = dict(conn.execute(
            "SELECT group_code, reports FROM mart.monthly_group_counts WHERE month = %s::date", (f"{month}-01",)
        ).fetchall())
        categories = dict(conn.execute(
            "SELECT category_code, reports FROM mart.monthly_category_counts WHERE month = %s::date", (f"{month}-01",)
        ).fetchall())
        (drafts,) = conn.execute(
            "SELECT drafts FROM mart.publication WHERE month = %s::date", (f"{month}-01",)
        ).fetchone() or ([],)
        (quarantined,) = conn.execute("SELECT count(*) FROM quarantine.row").fetchone()
        (files_quarantined,) = conn.execute("SELECT count(*) FROM quarantine.file").fetchone()
    return {"groups": groups, "categories": categories, "drafts": drafts,
            "rows_quarantined": quarantined, "files_quarantined": files_quarantined}


def print_headline(month: str, result: dict) -> None:
    from .normalize.reference import groups

    print(f"\npresswatch: {month}")
    for code, group in groups().items():
        if not group.counted:
            continue
        print(f"  {result['groups'].get(code, 0):>4}  {group.label_en}")
        for category in group.categories:
            if category.code in result["categories"]:
                print(f"        {result['categories'][category.code]:>4}  {category.label_en}")
    print(f"\n  quarantined: {result['rows_quarantined']} rows, {result['files_quarantined']} files "
          f"(see quarantine.row and quarantine.file)")
    print("  drafts:")
    for path in result["drafts"]:
        print(f"    {path}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="presswatch")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("demo", help="run March 2024 on the bundled sample inbox")
    run = commands.add_parser("run", help="ingest an inbox and build one month")
    run.add_argument("--month", required=True, help="YYYY-MM")
    run.add_argument("--inbox", default=None)
    run.add_argument("--storage", default=None)
    backfill = commands.add_parser("backfill", help="ingest, then rebuild and publish every month of a range")
    backfill.add_argument("--from", dest="first", required=True, help="YYYY-MM")
    backfill.add_argument("--to", dest="last", required=True, help="YYYY-MM")
    backfill.add_argument("--inbox", default=None)
    backfill.add_argument("--storage", default=None)
    backfill.add_argument("--no-ingest", action="store_true", help="rebuild from what core holds already")
    warehouse = commands.add_parser("warehouse", help="the embedded warehouse")
    warehouse.add_argument("action", choices=["start", "stop", "url"])
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("great_expectations").setLevel(logging.WARNING)

    if args.command == "backfill":
        from .backfill import main as backfill_main

        return backfill_main(args)
    if args.command == "warehouse":
        from .warehouse import connection

        if args.action == "start":
            print(connection.start_embedded(keep_running=True))
        elif args.action == "stop":
            print("stopped" if connection.stop_embedded() else "not running")
        else:
            print(connection.warehouse_url())
        return 0
    month = DEMO_MONTH if args.command == "demo" else args.month
    inbox = str(settings.SAMPLE_INBOX) if args.command == "demo" else args.inbox
    storage = None if args.command == "demo" else args.storage
    try:
        result = run_month(month, inbox, storage)
    except ValueError as exc:
        print(f"presswatch: {exc}", file=sys.stderr)
        return 2
    print_headline(month, result)
    return 0


if __name__ == "__main__":
    sys.exit(main())

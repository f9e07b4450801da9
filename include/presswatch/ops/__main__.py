"""Operations command line: ``python -m include.presswatch.ops <command>``.

    airflow start|stop|status   the local Airflow service (``make airflow``, ``make stop``)
    docs                        regenerate docs/warehouse.md from the migrations (``make docs``)
    analyst-login NAME          create or reset an analyst's read-only login; prints its password
    warehouse-init              apply the warehouse migrations and sync the reference data (compose's init)
"""

from __future__ import annotations

import argparse
import logging
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m include.presswatch.ops", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    airflow = commands.add_parser("airflow", help="the local Airflow service")
    airflow.add_argument("action", choices=["start", "stop", "status"])
    docs = commands.add_parser("docs", help="regenerate the data dictionary")
    docs.add_argument("--url", default=None, help="document this database instead of a scratch one")
    login = commands.add_parser("analyst-login", help="create or reset a read-only analyst login")
    login.add_argument("name")
    login.add_argument("--url", default=None, help="warehouse (default: WAREHOUSE_URL or the embedded one)")
    commands.add_parser("warehouse-init", help="migrate the warehouse of WAREHOUSE_URL and sync reference data")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    if args.command == "docs":
        from ..warehouse import dictionary

        print(f"wrote {dictionary.generate(args.url)}")
        return 0
    if args.command == "warehouse-init":
        from ..warehouse.connection import connect
        from ..warehouse.migrations import migrate
        from ..warehouse.reference_sync import sync_reference

        with connect() as conn:
            applied = migrate(conn)
            counts = sync_reference(conn)
        print(f"warehouse ready: {len(applied)} migrations applied, reference rows {counts}")
        return 0
    if args.command == "analyst-login":
        import psycopg

        from ..warehouse.connection import warehouse_url
        from .analysts import create_login

        with psycopg.connect(args.url or warehouse_url(), autocommit=True) as conn:
            password = create_login(conn, args.name)
            info = conn.info
        print(f"login {args.name} (read-only, role analyst) on database {info.dbname}; password: {password}")
        return 0
    from . import airflow_service

    if args.action == "start":
        return airflow_service.start_local()
    if args.action == "stop":
        return airflow_service.stop_local()
    return airflow_service.status_local()


if __name__ == "__main__":
    sys.exit(main())

"""
### Correspondent reports

Ingests the spreadsheets regional correspondents send, so every report reaches the warehouse or
quarantine with a reason a correspondent can act on.

**Reads** every file under `<inbox>/correspondents/` (xlsx, xls, ods, csv; any folder depth).
**Writes** `raw.file` and `raw.row` (lineage), `core.report` (accepted reports), `quarantine.row`
and `quarantine.row_problem` (rejected rows: sheet, row, column, reason), `quarantine.file` (files that
cannot be read at all) and rebuilds `core.legal_case`.

Each file is a mapped task of its own: one bad file never stops the others. A file whose bytes were
already loaded from the same path is skipped; a changed file replaces its previous version. The tasks load
concurrently, yet a report id given by two files of a month belongs to the later one in submission order (the
run's start, then the path), not to whichever task finished last. A file skipped because another current file
of its month has the same bytes is looked at again once every file is loaded (`recheck_identical_copies`): if
another task of the run replaced that file, the copy is loaded in this run, not by the next one. A retried task
reports what the run did: a file an earlier try of the run committed is loaded (or quarantined), not unchanged.
If every try of the recheck fails, the summary reads what it did from the warehouse: copies it committed count as
loaded, and copies it could not load as failed.

Param `inbox`: the inbox folder (default: `PRESSWATCH_INBOX`, else the bundled sample inbox).
"""

from __future__ import annotations

import datetime as dt

from airflow.sdk import Asset, Param, dag, get_current_context, task

from include.presswatch.ops.dag_defaults import default_args

CORE_REPORTS = Asset(name="presswatch_core_report", uri="postgres://warehouse:5432/presswatch/core/report")


def submitted_at(run) -> dt.datetime:
    """When the run's files were submitted, the same for every task of the run: every file of the run is ordered
    after earlier runs' files by the run's start, then by path, whichever mapped task loads first. That decides
    which file a report id given twice belongs to."""
    return run.start_date or run.run_after


@dag(
    dag_id="correspondent_reports",
    schedule="@hourly",
    start_date=dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc),
    catchup=False,
    max_active_runs=1,
    doc_md=__doc__,
    default_args=default_args(retries=2, retry_delay=dt.timedelta(minutes=1)),
    tags={"presswatch", "intake"},
    params={"inbox": Param(None, type=["null", "string"], description="Inbox folder; empty for the default")},
)
def correspondent_reports():
    @task
    def prepare_warehouse() -> dict:
        """Apply pending migrations and sync the taxonomy and gazetteer into the dimension tables."""
        from include.presswatch.warehouse.connection import connect
        from include.presswatch.warehouse.migrations import migrate
        from include.presswatch.warehouse.reference_sync import sync_reference

        with connect() as conn:
            applied = migrate(conn)
            counts = sync_reference(conn)
        return {"migrations_applied": applied, "reference_rows": counts}

    @task
    def find_files(params=None) -> list[str]:
        """List the files of the correspondents inbox."""
        from include.presswatch import intake, settings

        inbox = settings.inbox_dir(params.get("inbox"))
        files = intake.discover_files(inbox)
        print(f"found {len(files)} files under {intake.correspondents_dir(inbox)}")
        return files

    @task(map_index_template="{{ inbox_path }}")
    def ingest(inbox_path: str, params=None) -> dict:
        """Read, normalize, check (Great Expectations) and load one file."""
        import dataclasses

        from include.presswatch import intake_recheck, settings
        from include.presswatch.warehouse.connection import connect

        context = get_current_context()
        context["inbox_path"] = inbox_path
        with connect() as conn:
            # The file's intake report (what was rejected and why) goes to <storage>/intake/YYYY-MM/. A retry
            # reports a file its first try committed as loaded by this run.
            outcome = intake_recheck.ingest_file_in_run(
                conn, settings.inbox_dir(params.get("inbox")), inbox_path, storage=settings.storage_dir(),
                submitted_at=submitted_at(context["dag_run"]),
            )
        print(outcome.describe())
        for line in outcome.problems:
            print(f"  rejected: {line}")
        return dataclasses.asdict(outcome)

    @task(trigger_rule="all_done")
    def recheck_identical_copies(outcomes: list[dict], params=None) -> list[dict]:
        """Ingest again the files skipped as identical to another file, which another task may have replaced."""
        import dataclasses

        from include.presswatch import intake_recheck, settings
        from include.presswatch.warehouse.connection import connect

        # One slice fetches every mapped outcome at once; iterating would ask for one past the last, which the
        # task SDK logs as an error.
        outcomes = list(outcomes[:])
        if not intake_recheck.copies_to_recheck(outcomes):
            return []
        with connect() as conn:
            rechecked = intake_recheck.recheck_identical_copies(
                conn, settings.inbox_dir(params.get("inbox")), outcomes, storage=settings.storage_dir(),
                submitted_at=submitted_at(get_current_context()["dag_run"]),
            )
        for outcome in rechecked:
            print(f"rechecked {outcome.describe()}")
        failed = [o.describe() for o in rechecked if o.status == "failed"]
        if failed:  # the others are committed; the task fails so that the refused files are retried
            raise RuntimeError("; ".join(failed))
        return [dataclasses.asdict(o) for o in rechecked]

    @task(trigger_rule="all_done", outlets=[CORE_REPORTS])
    def refresh_cases_and_report(outcomes: list[dict], rechecked: list[dict] | None, params=None) -> dict:
        """Rebuild the legal cases and log what the run read, loaded and quarantined."""
        from include.presswatch import intake_recheck, settings
        from include.presswatch.intake import summarize_outcomes
        from include.presswatch.warehouse.connection import connect
        from include.presswatch.warehouse.load_reports import refresh_legal_cases

        with connect() as conn:
            cases = refresh_legal_cases(conn)
            if rechecked is None:  # every try of the recheck failed: what it did is read from the warehouse
                final = intake_recheck.outcomes_without_recheck(
                    conn, settings.inbox_dir(params.get("inbox")), outcomes[:],
                    submitted_at(get_current_context()["dag_run"]), storage=settings.storage_dir(),
                )
            else:
                final = intake_recheck.final_outcomes(outcomes[:], rechecked)
        summary = summarize_outcomes(final)
        summary["legal_cases"] = cases
        print(f"correspondent intake: {summary}")
        return summary

    files = find_files()
    prepare_warehouse() >> files
    outcomes = ingest.expand(inbox_path=files)
    refresh_cases_and_report(outcomes, recheck_identical_copies(outcomes))


correspondent_reports()

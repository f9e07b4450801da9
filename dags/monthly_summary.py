"""
### Monthly summary

Builds the month's overview: the counts the service publishes and the report drafts editors finish.

**Reads** `core.report`, `core.legal_case`, `core.legal_case_event`, `core.registry_match` and the
reference dimensions. **Writes** the month's rows of `mart.monthly_group_counts`,
`mart.monthly_category_counts`, `mart.monthly_region_counts`, `mart.obstruction_by_year`,
`mart.ytd_comparison`, `mart.monthly_legal_claims`, `mart.refusals_by_perpetrator_type` and
`mart.publication`, and the drafts under `<storage>/reports/YYYY-MM/`:
`monitoring-YYYY-MM.<lang>.md` and `.docx` (`lang` in en, ru), chart PNGs, `manifest.json` (files,
checksums, counts, version), `CHANGES.md` (which numbers moved since the last version) and every earlier
version under `versions/vN/`. A rerun whose data did not change writes no new version.
After publication: data-quality results as GX Data Docs in `<storage>/quality/YYYY-MM/` (+ `summary.json`).

The counting rules of the taxonomy apply: a report counts in its event month, context is never counted,
a legal claim counts once when first reported, the same report sent twice counts once.

Marts are staged per run and checked (group totals equal their categories and regions, no negative
counts) before anything is published; marts and drafts are then published together. A failing run
leaves the month's previous marts and drafts in place.

Params: `month` (`YYYY-MM`; empty for the month before the run, in Asia/Almaty time) and `storage`
(default: `PRESSWATCH_STORAGE`, else `./storage`).
"""

from __future__ import annotations

import datetime as dt

from airflow.sdk import CronTriggerTimetable, Param, dag, task

from include.presswatch.ops.dag_defaults import MONTH_PATTERN, default_args



@dag(
    dag_id="monthly_summary",
    # On the 1st at 06:00 in Almaty: the run reports on the month that has just ended.
    schedule=CronTriggerTimetable("0 6 1 * *", timezone="Asia/Almaty"),
    start_date=dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc),
    catchup=False,
    max_active_runs=1,
    doc_md=__doc__,
    default_args=default_args(retries=1, retry_delay=dt.timedelta(minutes=2)),
    tags={"presswatch", "reporting"},
    params={
        "month": Param(None, type=["null", "string"], pattern=MONTH_PATTERN, description="YYYY-MM; empty = last month"),
        "storage": Param(None, type=["null", "string"], description="Storage folder; empty for the default"),
    },
)
def monthly_summary():
    @task
    def resolve_month(params=None, dag_run=None) -> str:
        """The month this run reports on."""
        from include.presswatch.monthly import resolve_month as resolve

        month = resolve(params.get("month"), dag_run.run_after if dag_run else None)
        print(f"reporting on {month:%Y-%m}")
        return f"{month:%Y-%m}"

    @task
    def stage_marts(month: str, run_id=None) -> dict:
        """Build the month's marts into staging for this run."""
        from include.presswatch import monthly
        from include.presswatch.warehouse.connection import connect

        with connect() as conn:
            return monthly.stage(conn, monthly.parse_month(month), run_id)

    @task
    def check_marts(month: str, run_id=None) -> None:
        """Fail the run, publishing nothing, when a staged mart breaks a check."""
        from include.presswatch import monthly
        from include.presswatch.warehouse.connection import connect

        with connect() as conn:
            monthly.check(conn, run_id)

    @task
    def render_drafts(month: str, params=None, run_id=None) -> list[str]:
        """Render the drafts from the staged marts into the run's staging folder."""
        from include.presswatch import monthly, settings
        from include.presswatch.warehouse.connection import connect

        with connect() as conn:
            staged = monthly.render_drafts(conn, monthly.parse_month(month), run_id, settings.storage_dir(params.get("storage")))
        return [str(p) for p in staged]

    @task
    def publish(month: str, staged: list[str], params=None, run_id=None) -> dict:
        """Publish marts and drafts together."""
        from pathlib import Path

        from include.presswatch import monthly, settings
        from include.presswatch.warehouse.connection import connect

        with connect() as conn:
            result = monthly.publish(
                conn, monthly.parse_month(month), run_id, settings.storage_dir(params.get("storage")),
                [Path(p) for p in staged],
            )
        print(f"published {result}")
        return result

    @task
    def publish_quality_docs(month: str, params=None) -> dict:
        """Validate the month's accepted reports with the GX suite and publish the results as Data Docs."""
        from include.presswatch import monthly, settings
        from include.presswatch.quality.data_docs import publish_month_quality
        from include.presswatch.warehouse.connection import warehouse_url

        summary = publish_month_quality(
            warehouse_url(), monthly.parse_month(month), settings.storage_dir(params.get("storage"))
        )
        print(
            f"data quality {month}: {summary['successes']} of {summary['expectations']} expectations passed "
            f"({summary['failures']} failing); Data Docs at {summary['index']}"
        )
        return summary

    @task
    def discard_staging(month: str, params=None, run_id=None) -> None:
        """Drop what this run staged (nothing is left after a publication; leftovers after a failure)."""
        from include.presswatch import monthly, settings
        from include.presswatch.warehouse.connection import connect

        if not month:
            return
        with connect() as conn:
            monthly.discard(conn, monthly.parse_month(month), run_id, settings.storage_dir(params.get("storage")))

    month = resolve_month()
    staged_marts = stage_marts(month)
    checked = check_marts(month)
    drafts = render_drafts(month)
    published = publish(month, drafts)
    staged_marts >> checked >> drafts
    # After publication: a failure here fails the run but never holds back the drafts.
    published >> publish_quality_docs(month)
    # A teardown runs whether the run failed or not, and does not decide the run's state.
    published >> discard_staging(month).as_teardown(setups=staged_marts)


monthly_summary()

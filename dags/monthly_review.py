"""
### Monthly review

An editor approves the month's published drafts in the Airflow UI (**Required actions**), which marks
that version final. Trigger it by hand once `monthly_summary` has published the drafts; it is never
run by `make demo`, `make run` or the tests, so waiting for an editor holds nothing else open.

**Reads** `<storage>/reports/YYYY-MM/manifest.json` (the latest published version, its headline
counts and change log). **Writes** the same `manifest.json` and `versions/vN/manifest.json`:
`status: final` with who approved, when, and their comment. A rejection writes nothing and skips the
marking; the next run of `monthly_summary` makes a new version to review.

The editor approves the version this run showed them: if a newer version was published while the
run waited, marking fails and a new review must be started for the latest drafts.

Params: `month` (`YYYY-MM`; empty for the month before the run, in Asia/Almaty time) and `storage`
(a folder or an object-storage URL such as `s3://bucket/prefix`; default `PRESSWATCH_STORAGE`, else
`./storage`).
"""

from __future__ import annotations

import datetime as dt

from airflow.providers.standard.operators.hitl import ApprovalOperator
from airflow.sdk import Param, dag, task

from include.presswatch.ops.dag_defaults import MONTH_PATTERN, default_args

REVIEW_WINDOW = dt.timedelta(days=14)


@dag(
    dag_id="monthly_review",
    schedule=None,  # an editor's review is started by hand when the drafts are ready
    start_date=dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc),
    catchup=False,
    doc_md=__doc__,
    default_args=default_args(retries=1, retry_delay=dt.timedelta(minutes=2)),
    tags={"presswatch", "reporting", "review"},
    params={
        "month": Param(None, type=["null", "string"], pattern=MONTH_PATTERN, description="YYYY-MM; empty = last month"),
        "storage": Param(None, type=["null", "string"], description="Storage folder or URL; empty for the default"),
    },
)
def monthly_review():
    @task
    def describe_drafts(params=None, dag_run=None) -> dict:
        """The latest published version of the month, as the editor will see it."""
        from include.presswatch import monthly, settings
        from include.presswatch.reports import storage, versions

        month = monthly.resolve_month(params.get("month"), dag_run.run_after if dag_run else None)
        return versions.review_request(storage.month_dir(settings.storage_dir(params.get("storage")), month))

    approval = ApprovalOperator(
        task_id="editor_approval",
        subject="Drafts of {{ ti.xcom_pull(task_ids='describe_drafts')['month'] }}, "
                "version {{ ti.xcom_pull(task_ids='describe_drafts')['version'] }}",
        body="{{ ti.xcom_pull(task_ids='describe_drafts')['body'] }}",
        params={"comment": Param("", type="string", description="Note for the record (optional)")},
        response_timeout=REVIEW_WINDOW,
        retries=0,  # a response is given once; a retry would ask the editor again
    )

    @task
    def mark_final(drafts: dict, response: dict, params=None) -> dict:
        """Record the approval: the version shown to the editor becomes final in manifest.json."""
        from include.presswatch import monthly, settings
        from include.presswatch.reports import storage, versions

        month_dir = storage.month_dir(settings.storage_dir(params.get("storage")), monthly.parse_month(drafts["month"]))
        manifest = versions.approve_from_response(month_dir, drafts["version"], response)
        print(f"{drafts['month']} version {manifest['version']} is final: {manifest['approval']}")
        return {"month": drafts["month"], "version": manifest["version"], "status": manifest["status"]}

    drafts = describe_drafts()
    drafts >> approval
    mark_final(drafts, approval.output)


monthly_review()

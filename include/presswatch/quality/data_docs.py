"""The month's data-quality results, published as Great Expectations Data Docs.

The month's accepted reports in ``core.report`` are validated in the warehouse itself (GX Core, SQL data
source, ephemeral context, suites in code) against the rules intake applies to every row: required values
present, the event date inside the month, region and category codes the reference dimensions know, a case
reference on every legal claim, the confidential flag set. The results become a static Data Docs site under
``<storage>/quality/YYYY-MM/`` (``index.html``) with a small ``summary.json`` next to it.

Great Expectations is imported inside the functions only: it is heavy and DAG files import this package's
siblings at parse time.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import shutil
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)

QUALITY_DIR = "quality"
SUMMARY_FILE = "summary.json"
SITE_NAME = "presswatch_quality"
LEGAL_GROUP = "legal_claims"
URL_VARIABLE = "PRESSWATCH_QUALITY_WAREHOUSE_URL"
# Every accepted report must have these (the intake suite's required fields, plus the confidential flag).
REQUIRED_COLUMNS = ("event_date", "region_code", "category_code", "summary", "source", "confidential")


def month_dir(storage, month: dt.date):
    """Where a month's Data Docs are published: ``<storage>/quality/YYYY-MM``."""
    return storage / QUALITY_DIR / f"{month:%Y-%m}"


def sqlalchemy_url(warehouse_url: str) -> str:
    """A ``postgresql+psycopg://`` SQLAlchemy URL for a libpq URL or keyword string.

    The embedded server gives keyword strings such as ``user=postgres dbname=x host=/path/to/socket``;
    a socket directory cannot be the URL's host, so it goes into the ``host`` query parameter.
    """
    from psycopg import conninfo
    from sqlalchemy.engine import URL

    parts = conninfo.conninfo_to_dict(warehouse_url)
    host = parts.pop("host", None)
    port = parts.pop("port", None)
    query = {k: str(v) for k, v in parts.items() if k not in ("user", "password", "dbname")}
    url_host = None
    if host and (host.startswith("/") or "," in host):
        query["host"] = host  # a Unix socket directory (or several hosts): libpq reads it from the query
        if port:
            query["port"] = str(port)
            port = None
    else:
        url_host = host
    return URL.create(
        "postgresql+psycopg",
        username=parts.get("user"),
        password=parts.get("password"),
        host=url_host,
        port=int(port) if port else None,
        database=parts.get("dbname"),
        query=query,
    ).render_as_string(hide_password=False)


def _month_start(month) -> dt.date:
    """The first day of ``month`` (a date, or 'YYYY-MM'); anything else is a ValueError."""
    if isinstance(month, dt.datetime):
        month = month.date()
    if isinstance(month, dt.date):
        return month.replace(day=1)
    text = str(month).strip()
    parsed = dt.datetime.strptime(text, "%Y-%m").date()  # ValueError for anything but YYYY-MM
    if f"{parsed:%Y-%m}" != text:
        raise ValueError(f"month must be YYYY-MM, got {month!r}")
    return parsed


def _reference_codes(warehouse_url: str) -> tuple[list[str], list[str]]:
    import psycopg

    with psycopg.connect(warehouse_url) as conn:
        regions = [code for (code,) in conn.execute("SELECT code FROM ref.region ORDER BY code")]
        categories = [code for (code,) in conn.execute("SELECT code FROM ref.category ORDER BY code")]
    return regions, categories


def _suites(gx, month: dt.date, regions: list[str], categories: list[str]):
    """(reports suite, legal-claims suite) mirroring the intake rules."""
    from great_expectations import expectations as gxe

    next_month = (month + dt.timedelta(days=32)).replace(day=1)
    reports = gx.ExpectationSuite(name=f"reports_{month:%Y_%m}")
    reports.add_expectation(gxe.ExpectTableRowCountToBeBetween(min_value=0))
    for column in REQUIRED_COLUMNS:
        reports.add_expectation(gxe.ExpectColumnValuesToNotBeNull(column=column))
    reports.add_expectation(gxe.ExpectColumnValuesToBeBetween(
        column="event_date", min_value=month, max_value=next_month - dt.timedelta(days=1),
    ))
    reports.add_expectation(gxe.ExpectColumnValuesToBeInSet(column="region_code", value_set=regions))
    reports.add_expectation(gxe.ExpectColumnValuesToBeInSet(column="category_code", value_set=categories))

    legal = gx.ExpectationSuite(name=f"legal_claims_{month:%Y_%m}")
    legal.add_expectation(gxe.ExpectColumnValuesToNotBeNull(column="case_ref"))
    return reports, legal


def _build_site(warehouse_url: str, month: dt.date, site_dir: Path) -> dict:
    """Validate the month and build the Data Docs site into ``site_dir``; returns the summary."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx
    from great_expectations.checkpoint import UpdateDataDocsAction
    from great_expectations.data_context.types.base import ProgressBarsConfig

    regions, categories = _reference_codes(warehouse_url)
    # The URL reaches GX as a config variable: add_postgres checks a literal URL as a DSN, which rejects a
    # socket directory as host, and a substituted one keeps credentials out of the datasource's config.
    context = gx.get_context(mode="ephemeral", runtime_environment={URL_VARIABLE: sqlalchemy_url(warehouse_url)})
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    context.add_data_docs_site(SITE_NAME, {
        "class_name": "SiteBuilder",
        "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(site_dir)},
    })
    source = context.data_sources.add_postgres("warehouse", connection_string="${%s}" % URL_VARIABLE)

    # The month is a date built by our own code; its ISO form is the only text that reaches the query.
    month_literal = f"DATE '{month.isoformat()}'"
    reports_query = f"""
        SELECT r.report_key, r.event_date, r.region_code, r.category_code, c.group_code,
               r.summary, r.source, r.case_ref, r.confidential
        FROM core.report r LEFT JOIN ref.category c ON c.code = r.category_code
        WHERE r.event_month = {month_literal}"""
    legal_query = f"""
        SELECT r.report_key, r.category_code, r.case_ref
        FROM core.report r JOIN ref.category c ON c.code = r.category_code
        WHERE r.event_month = {month_literal} AND c.group_code = '{LEGAL_GROUP}'"""

    reports_suite, legal_suite = _suites(gx, month, regions, categories)
    validations = []
    for asset_name, query, suite in (
        (f"reports_{month:%Y_%m}", reports_query, reports_suite),
        (f"legal_claims_{month:%Y_%m}", legal_query, legal_suite),
    ):
        batch_definition = source.add_query_asset(asset_name, query=query).add_batch_definition_whole_table("month")
        suite = context.suites.add(suite)
        validations.append(context.validation_definitions.add(
            gx.ValidationDefinition(name=asset_name, data=batch_definition, suite=suite)
        ))
    checkpoint = context.checkpoints.add(gx.Checkpoint(
        name=f"quality_{month:%Y_%m}",
        validation_definitions=validations,
        actions=[UpdateDataDocsAction(name="data_docs", site_names=[SITE_NAME])],
        result_format={"result_format": "SUMMARY"},
    ))
    result = checkpoint.run()

    expectations = successes = 0
    failing = []
    for validation in result.run_results.values():
        for outcome in validation.results:
            expectations += 1
            config = outcome.expectation_config
            if outcome.exception_info.get("raised_exception"):
                raise RuntimeError(
                    f"data-quality expectation {config.type} on {config.kwargs.get('column')} failed to run: "
                    f"{outcome.exception_info.get('exception_message')}"
                )
            if outcome.success:
                successes += 1
                continue
            failing.append({
                "suite": validation.suite_name,
                "expectation": config.type,
                "column": config.kwargs.get("column"),
                "unexpected_count": int(outcome.result.get("unexpected_count") or 0),
            })
    context.build_data_docs(site_names=[SITE_NAME])
    rows = next(
        int(o.result.get("observed_value") or 0)
        for v in result.run_results.values() if v.suite_name == reports_suite.name
        for o in v.results if o.expectation_config.type == "expect_table_row_count_to_be_between"
    )
    return {
        "month": f"{month:%Y-%m}",
        "reports": rows,
        "expectations": expectations,
        "successes": successes,
        "failures": len(failing),
        "success": not failing,
        "failing": failing,
        "index": "index.html",
    }


def publish_month_quality(warehouse_url: str, month, storage) -> dict:
    """Validate the month's accepted reports and publish Data Docs under ``<storage>/quality/YYYY-MM/``.

    ``storage`` is a local folder (``Path``) or an ``ObjectStoragePath``. The site is built in a temporary
    folder and then replaces the month's previous one. Returns the summary also written to ``summary.json``
    (expectation, success and failure counts, and which expectations failed on how many rows); failing
    expectations do not raise: the published results are what tells.
    """
    month = _month_start(month)
    local = isinstance(storage, (str, os.PathLike)) or not hasattr(storage, "protocol")
    with tempfile.TemporaryDirectory(prefix="presswatch-quality-") as tmp:
        site_dir = Path(tmp) / "site"
        summary = _build_site(warehouse_url, month, site_dir)
        if not (site_dir / "index.html").exists():
            raise RuntimeError(f"Data Docs were built but {site_dir / 'index.html'} is missing")
        (site_dir / SUMMARY_FILE).write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
        target = month_dir(Path(storage) if local else storage, month)
        if local:
            _replace_local(site_dir, target)
        else:
            _replace_remote(site_dir, target)
    summary["index"] = str(target / "index.html")
    log.info(
        "data quality %s: %d reports, %d of %d expectations passed, %d failing; Data Docs at %s",
        summary["month"], summary["reports"], summary["successes"], summary["expectations"],
        summary["failures"], summary["index"],
    )
    return summary


def _replace_local(site_dir: Path, target: Path) -> None:
    """Put the new site in place of the month's old one, swapping folders on the same file system."""
    target.parent.mkdir(parents=True, exist_ok=True)
    incoming = Path(tempfile.mkdtemp(prefix=f".{target.name}-new-", dir=target.parent))
    shutil.copytree(site_dir, incoming, dirs_exist_ok=True)
    outgoing = target.parent / f".{target.name}-old-{os.getpid()}"
    if target.exists():
        target.rename(outgoing)
    incoming.rename(target)
    shutil.rmtree(outgoing, ignore_errors=True)


def _replace_remote(site_dir: Path, target) -> None:
    """Upload the site to object storage (an ``ObjectStoragePath``) in place of the month's old files.

    Object stores have no rename: the old files go first, ``index.html`` and ``summary.json`` last, so a
    reader finding the index finds the pages it links to.
    """
    try:
        if target.exists():
            target.fs.rm(target.path, recursive=True)
    except FileNotFoundError:
        pass
    last = {"index.html", SUMMARY_FILE}
    files = sorted((p for p in site_dir.rglob("*") if p.is_file()), key=lambda p: (p.name in last, str(p)))
    for path in files:
        destination = target / path.relative_to(site_dir).as_posix()
        destination.fs.makedirs(destination.parent.path, exist_ok=True)  # a file:// store needs folders
        destination.write_bytes(path.read_bytes())

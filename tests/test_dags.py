"""DAG integrity: every DAG file imports, carries the contract's ids, owner, retries, tags and docs,
and keeps heavy libraries out of parse time."""

import subprocess
import sys

import pytest

from include.presswatch import settings

DAGS_FOLDER = settings.PROJECT_ROOT / "dags"
CONTRACT_DAG_IDS = {"correspondent_reports", "registry_notices", "monthly_summary"}
HEAVY_MODULES = ("pandas", "great_expectations", "matplotlib", "docx", "openpyxl", "python_calamine", "psycopg")


@pytest.fixture(scope="module")
def dag_bag():
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(DAGS_FOLDER))


def test_no_import_errors(dag_bag):
    assert dag_bag.import_errors == {}


def test_contract_dag_ids_are_present(dag_bag):
    assert CONTRACT_DAG_IDS <= set(dag_bag.dag_ids)


def test_every_dag_has_owner_retries_tags_and_docs(dag_bag):
    for dag_id, dag in dag_bag.dags.items():
        assert dag.default_args.get("owner") == "presswatch", dag_id
        assert dag.default_args.get("retries", 0) >= 1, dag_id
        assert dag.default_args.get("on_failure_callback"), f"{dag_id}: failures must raise an alert"
        assert "presswatch" in dag.tags, dag_id
        assert dag.doc_md and "Reads" in dag.doc_md and "Writes" in dag.doc_md, f"{dag_id}: doc_md must say what it reads and writes"


def test_monthly_summary_takes_a_month_param(dag_bag):
    dag = dag_bag.dags["monthly_summary"]
    assert "month" in dag.params
    assert dag.params.get_param("month").schema["pattern"]


@pytest.mark.parametrize("dag_file", sorted(p.name for p in DAGS_FOLDER.glob("*.py")))
def test_dag_file_imports_no_heavy_library_at_parse_time(dag_file):
    probe = (
        "import runpy, sys; "
        f"runpy.run_path({str(DAGS_FOLDER / dag_file)!r}); "
        f"print(','.join(m for m in {HEAVY_MODULES!r} if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().splitlines()[-1:] in ([], [""]), f"imported at parse time: {result.stdout}"

"""The production-like stack: docker-compose.yaml and its Dockerfile (checked as files; no engine here)."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
import yaml

from include.presswatch import settings

ROOT = settings.PROJECT_ROOT
AIRFLOW_SERVICES = ("airflow-apiserver", "airflow-scheduler", "airflow-dag-processor", "airflow-worker",
                    "airflow-triggerer", "airflow-init")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yaml").read_text())


def test_stack_has_the_official_services_and_a_separate_warehouse(compose):
    services = compose["services"]
    assert set(AIRFLOW_SERVICES) | {"postgres", "redis", "warehouse"} <= set(services)
    assert services["redis"]["image"].startswith("redis:7.2")
    assert services["postgres"]["image"].startswith("postgres:16")
    assert services["warehouse"]["image"].startswith("postgres:16")
    assert {"postgres-db-volume", "warehouse-db-volume"} <= set(compose["volumes"])


@pytest.mark.parametrize("name", AIRFLOW_SERVICES)
def test_every_airflow_service_runs_the_project_image_on_celery(compose, name):
    service = compose["services"][name]
    env = service["environment"]
    assert service["build"] == "." and service["image"] == compose["services"]["airflow-scheduler"]["image"]
    assert env["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor"
    assert env["AIRFLOW__CELERY__BROKER_URL"].startswith("redis://") and "@redis:6379" in env["AIRFLOW__CELERY__BROKER_URL"]
    assert "@postgres/airflow" in env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]
    assert "@postgres/" in env["AIRFLOW__CELERY__RESULT_BACKEND"]
    # Tasks write to the warehouse, never to Airflow's metadata database.
    assert "@warehouse:5432/presswatch" in env["WAREHOUSE_URL"]
    assert env["PYTHONPATH"] == "/opt/airflow"
    assert env["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"] == "http://airflow-apiserver:8080/execution/"
    assert "AIRFLOW_JWT_SECRET" in env["AIRFLOW__API_AUTH__JWT_SECRET"]
    assert env["AIRFLOW__CORE__AUTH_MANAGER"].endswith("SimpleAuthManager")
    assert env["AIRFLOW__CORE__LOAD_EXAMPLES"] == "false"
    depends = service["depends_on"]
    assert {"redis", "postgres", "warehouse"} <= set(depends)
    if name != "airflow-init":
        assert depends["airflow-init"]["condition"] == "service_completed_successfully"


def test_workers_share_the_inbox_and_storage(compose):
    for name in ("airflow-worker", "airflow-scheduler", "airflow-apiserver"):
        service = compose["services"][name]
        mounts = {re.search(r":(/opt/airflow/[^:]+)", v).group(1): v for v in service["volumes"]}
        assert "/opt/airflow/inbox" in mounts and "/opt/airflow/storage" in mounts
        assert service["environment"]["PRESSWATCH_INBOX"] == "/opt/airflow/inbox"
        assert service["environment"]["PRESSWATCH_STORAGE"] == "/opt/airflow/storage"


def test_commands_and_health_checks(compose):
    services = compose["services"]
    assert services["airflow-apiserver"]["command"] == "api-server"
    assert services["airflow-scheduler"]["command"] == "scheduler"
    assert services["airflow-dag-processor"]["command"] == "dag-processor"
    assert services["airflow-worker"]["command"] == "celery worker"
    assert services["airflow-triggerer"]["command"] == "triggerer"
    assert "/api/v2/version" in " ".join(services["airflow-apiserver"]["healthcheck"]["test"])
    init = " ".join(services["airflow-init"]["command"])
    assert "airflow db migrate" in init and "include.presswatch.ops warehouse-init" in init


def test_image_is_the_official_one_with_our_pins():
    dockerfile = (ROOT / "Dockerfile").read_text()
    [base] = [line.split()[1] for line in dockerfile.splitlines() if line.startswith("FROM ")]
    assert base.startswith("apache/airflow:3.3.2")
    assert "requirements.txt" in dockerfile and "constraints.txt" in dockerfile
    assert "ENV PYTHONPATH=/opt/airflow" in dockerfile
    for folder in ("dags", "include", "plugins", "sql"):
        assert f"COPY --chown=airflow:root {folder} /opt/airflow/{folder}" in dockerfile
    requirements = (ROOT / "requirements.txt").read_text().splitlines()
    assert any(line.startswith("apache-airflow-providers-celery==") for line in requirements)
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert ".venv" in ignored and ".data" in ignored


def test_docker_compose_config_accepts_the_file(tmp_path):
    docker = shutil.which("docker")
    if not docker:
        pytest.skip("no docker client on this machine")
    probe = subprocess.run([docker, "compose", "version"], capture_output=True, text=True)
    if probe.returncode != 0:
        pytest.skip(f"the docker client has no compose plugin: {probe.stderr.strip() or probe.stdout.strip()}")
    result = subprocess.run([docker, "compose", "-f", str(ROOT / "docker-compose.yaml"), "config", "--quiet"],
                            capture_output=True, text=True, env={"AIRFLOW_JWT_SECRET": "test", "PATH": "/usr/bin:/bin"},
                            cwd=ROOT, timeout=60)
    assert result.returncode == 0, result.stderr

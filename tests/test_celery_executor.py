"""Scale-out: monthly_summary runs through a real scheduler and a Celery worker, with Redis as the broker.

Uses the Redis of 127.0.0.1:6379 (skipped with the reason when there is none), a PostgreSQL metadata
database and a warehouse of its own on the tests' server, a queue of its own (so it never takes work
from anything else on that Redis), and stops every process it started, whatever happens.
"""

from __future__ import annotations

import json
import socket
import time
import uuid

import psycopg
import pytest

from include.presswatch.ops import airflow_service
from include.presswatch.ops.airflow_service import AirflowService, base_env, sqlalchemy_url

REDIS = ("127.0.0.1", 6379)
DEADLINE_SECONDS = 170  # the whole test, start to stop, on a busy two-core machine
pytestmark = pytest.mark.e2e


def redis_answers() -> str | None:
    """None when Redis answers PING, else why not."""
    try:
        with socket.create_connection(REDIS, timeout=2) as s:
            s.sendall(b"PING\r\n")
            reply = s.recv(64)
    except OSError as exc:
        return f"no Redis at {REDIS[0]}:{REDIS[1]} ({exc})"
    return None if reply.startswith(b"+PONG") else f"{REDIS[0]}:{REDIS[1]} is not Redis: {reply!r}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def celery_stack(tmp_path, database_factory):
    reason = redis_answers()
    if reason:
        pytest.skip(f"{reason}: the Celery executor test needs a Redis broker")
    pytest.importorskip("airflow.providers.celery", reason="apache-airflow-providers-celery is not installed")
    from include.presswatch.warehouse.migrations import migrate
    from include.presswatch.warehouse.reference_sync import sync_reference

    warehouse = database_factory("presswatch_celery_wh")
    with psycopg.connect(warehouse) as conn:
        migrate(conn)
        sync_reference(conn)
    metadata = sqlalchemy_url(database_factory("presswatch_celery_meta"))
    home = tmp_path / "airflow"
    home.mkdir()
    passwords = home / "passwords.json"
    passwords.write_text(json.dumps({"admin": "celery-test"}))
    port = free_port()
    queue = f"presswatch_test_{uuid.uuid4().hex[:8]}"
    env = base_env(home, metadata, warehouse, port, "admin:admin", passwords)
    env.update({
        "AIRFLOW__CORE__EXECUTOR": "CeleryExecutor",
        "AIRFLOW__CELERY__BROKER_URL": f"redis://{REDIS[0]}:{REDIS[1]}/0",
        "AIRFLOW__CELERY__RESULT_BACKEND": sqlalchemy_url(database_factory("presswatch_celery_meta"), "db+postgresql"),
        "AIRFLOW__OPERATORS__DEFAULT_QUEUE": queue,
        "AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT": str(free_port()),
        "AIRFLOW__SCHEDULER__SCHEDULER_IDLE_SLEEP_TIME": "0.5",
        "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "600",
        # Only the run the test triggers: scheduled runs of the unpaused DAGs (correspondent_reports is
        # hourly, monthly_summary allows one active run) would take the executor's slots and the run's turn.
        "AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE": "False",
        "PRESSWATCH_TASK_RETRIES": "0",
        "PRESSWATCH_STORAGE": str(tmp_path / "storage"),
    })
    service = AirflowService(home=home, env=env, port=port,
                             components=("api-server", "scheduler", "dag-processor", "celery-worker"))
    try:
        yield service, warehouse
    finally:
        service.stop(timeout=20)
        _drop_queue(queue)


def _drop_queue(queue: str) -> None:
    """Remove what the test left in Redis: its queue and kombu's binding of it."""
    try:
        import redis

        client = redis.Redis(*REDIS, socket_timeout=5)
        client.delete(queue, f"_kombu.binding.{queue}")
        client.close()
    except Exception:
        pass


def test_monthly_summary_runs_on_a_celery_worker(celery_stack):
    service, warehouse = celery_stack
    started = time.monotonic()

    def left() -> float:
        return max(10.0, DEADLINE_SECONDS - (time.monotonic() - started))

    service.start()
    try:
        service.wait_ready(timeout=left())
        token = service.token("admin", "celery-test")
        service.wait_for_dags(token, ["monthly_summary"], timeout=left())
        run = service.run_dag(token, "monthly_summary", {"month": "2024-03"}, timeout=left())
    except airflow_service.ServiceError as exc:
        tails = "\n".join(f"--- {name}\n{service.log_tail(name, 1500)}" for name in service.components)
        pytest.fail(f"{exc}\n{tails}")

    tis = service.api("GET", f"/dags/monthly_summary/dagRuns/{run['dag_run_id']}/taskInstances", token)["task_instances"]
    assert run["state"] == "success", [(t["task_id"], t["state"]) for t in tis]
    # Every task ran on the Celery worker (its hostname, the test's queue), none in the scheduler.
    assert {t["queue"] for t in tis} == {service.env["AIRFLOW__OPERATORS__DEFAULT_QUEUE"]}
    assert all(t["state"] == "success" and t["hostname"] for t in tis)
    assert "monthly_summary" in service.log_tail("celery-worker", 200_000)
    with psycopg.connect(warehouse) as conn:
        (published,) = conn.execute("SELECT count(*) FROM mart.publication WHERE month = DATE '2024-03-01'").fetchone()
    assert published == 1

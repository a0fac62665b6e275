"""Real DAG runs through the CeleryExecutor: Redis broker, result backend on the metadata DB.

The components start as the containers of the `celery` profile of docker-compose.yml start
them (`python -m cchc_app.airflow_runner serve ...`): api-server (the task workers' execution
API), scheduler, dag-processor and one `airflow celery worker`, on free ports, with the
session's metadata database on the embedded Postgres. The broker is the local Redis
(CCHC_TEST_REDIS_URL, default db 7 of 127.0.0.1:6379) under a key prefix of this run, so
parallel test sessions sharing it never take each other's tasks.
"""
from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from contextlib import ExitStack, suppress
from pathlib import Path

import psycopg
import pytest

from cchc.warehouse import with_dbname

pytestmark = pytest.mark.slow

REDIS_URL = os.environ.get("CCHC_TEST_REDIS_URL", "redis://127.0.0.1:6379/7")
#: The runs, one after the other (a feed's rows are checked against the reference data):
#: DAG id, and the run time of a one-run backfill or None for a manual run. A feed's day
#: needs the backfill: a manual run's data interval ends when it is triggered, whatever its
#: logical date. The feed's run at midnight of 10 January covers 9 January (a day no other
#: module of the session runs: they share the metadata database).
RUNS = [("ingest__reference", None), ("ingest__H99_S03", "2024-01-10T00:00:00+07:00")]
FEED_DELIVERY = "hoso_20240109.csv"
#: The longest wait for each step (the first parse, each run): each took up to ~2 min on
#: the shared 2-core machine at a load average of 25.
RUN_TIMEOUT = 300


@pytest.fixture(scope="session")
def celery_broker():
    """The local Redis, checked before any Airflow setup so that a machine without it skips
    at once."""
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        pytest.skip(f"no Redis at {REDIS_URL} ({error}): the CeleryExecutor test needs a "
                    "broker; start redis-server or set CCHC_TEST_REDIS_URL")
    return client


class _Components:
    """Airflow processes, each in its own process group with its output in a file; all of
    them (and every task process they forked) are killed on leaving, whatever happened."""

    def __init__(self, env: dict[str, str], logs: Path) -> None:
        self.env = env
        self.logs = logs
        self.procs: dict[str, subprocess.Popen] = {}

    def start(self, name: str, *component: str) -> None:
        log = (self.logs / f"{name}.log").open("w")
        self.procs[name] = subprocess.Popen(
            [sys.executable, "-m", "cchc_app.airflow_runner", "serve", *component], env=self.env,
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()

    def airflow(self, *command: str) -> str:
        """A one-off `airflow ...` command (same configuration); its output."""
        done = subprocess.run([sys.executable, "-m", "cchc_app.airflow_runner", "serve", *command],
                              env=self.env, capture_output=True, text=True, timeout=120,
                              check=False)
        assert done.returncode == 0, f"airflow {' '.join(command)}:\n{done.stdout}{done.stderr}"
        return done.stdout

    def check_alive(self) -> None:
        for name, proc in self.procs.items():
            assert proc.poll() is None, f"{name} exited with {proc.returncode}:\n{self.tail(name)}"

    def tail(self, name: str, lines: int = 40) -> str:
        return "\n".join((self.logs / f"{name}.log").read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        for proc in self.procs.values():
            with suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + 20
        for proc in self.procs.values():
            with suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            # The group outlives its leader when a task or gunicorn child is still up.
            with suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def _free_port() -> int:
    from cchc.net import free_port

    return free_port()


def _wait_for(what: str, ready, components: _Components, timeout: float = RUN_TIMEOUT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        components.check_alive()
        if (value := ready()) is not None:
            return value
        time.sleep(2)
    logs = "\n".join(f"--- {name}\n{components.tail(name)}" for name in components.procs)
    pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}\n{logs}")


def _api_healthy(port: int):
    with suppress(OSError), urllib.request.urlopen(
            f"http://127.0.0.1:{port}/api/v2/monitor/health", timeout=5):
        return True
    return None


@pytest.fixture(scope="module")
def celery_run(celery_broker, airflow_for_module, airflow_session_env, warehouse_dsn,
               tmp_path_factory):
    """RUNS through a Celery worker: the metadata DB's DSN, the run ids, the worker's name
    and what `airflow celery list-workers` printed."""
    broker = celery_broker
    prefix = f"cchc-test-{uuid.uuid4().hex[:8]}:"
    api_port = _free_port()
    worker_name = f"cchc-{uuid.uuid4().hex[:8]}@%h"
    env = {**os.environ,
           "AIRFLOW__CORE__EXECUTOR": "CeleryExecutor",
           "AIRFLOW__CELERY__BROKER_URL": REDIS_URL,
           "AIRFLOW__CELERY_BROKER_TRANSPORT_OPTIONS__GLOBAL_KEYPREFIX": prefix,
           # The result backend is left unset: Airflow then uses the metadata database
           # (its sql_alchemy_conn with `db+`), as the compose profile does. Extended
           # results record which worker ran each task.
           "AIRFLOW__CELERY__EXTRA_CELERY_CONFIG": '{"result_extended": true}',
           "AIRFLOW__CELERY__WORKER_CONCURRENCY": "2",
           "AIRFLOW__API__HOST": "127.0.0.1",
           "AIRFLOW__API__PORT": str(api_port),
           "AIRFLOW__API__BASE_URL": f"http://127.0.0.1:{api_port}",
           "AIRFLOW__API__WORKERS": "1",
           "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{api_port}/execution/",
           # Every component signs and checks the task workers' tokens with one secret.
           "AIRFLOW__API_AUTH__JWT_SECRET": secrets.token_urlsafe(32),
           "AIRFLOW__API__SECRET_KEY": secrets.token_urlsafe(32),
           # Only the runs triggered below: unpausing must not add the DAGs' scheduled runs.
           "AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE": "False",
           "AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT": str(_free_port())}
    metadata = with_dbname(warehouse_dsn, airflow_session_env["CCHC_AIRFLOW_DB"])
    run_ids = []
    components = _Components(env, tmp_path_factory.mktemp("celery-logs"))
    with ExitStack() as cleanup:
        cleanup.callback(lambda: broker.delete(*broker.keys(prefix + "*") or [prefix]))
        cleanup.callback(components.stop)
        components.start("api-server", "api-server")
        components.start("scheduler", "scheduler")
        components.start("dag-processor", "dag-processor")
        components.start("worker", "celery", "worker", "--celery-hostname", worker_name)

        dag_ids = [dag_id for dag_id, _ in RUNS]

        def serialized():
            with psycopg.connect(metadata) as conn:
                found = conn.execute("select count(*) from serialized_dag where dag_id = any(%s)",
                                     (dag_ids,)).fetchone()[0]
            return True if found == len(dag_ids) else None

        _wait_for(f"the dag-processor to parse {', '.join(dag_ids)}", serialized, components)
        _wait_for("the api-server", lambda: _api_healthy(api_port), components)
        components.airflow("dags", "unpause", "--treat-dag-id-as-regex", "--yes",
                           f"^({'|'.join(dag_ids)})$")
        # What the compose workers' healthcheck asks the broker (docker-compose.yml), asked
        # until the worker answers: a worker still starting, or too busy to reply within
        # the inspect call's one second on a loaded machine, is missing from one answer
        # (the healthcheck retries too).
        worker_prefix = worker_name.split("@")[0] + "@"

        def worker_listed():
            listed = components.airflow("celery", "list-workers", "-o", "plain")
            return listed if worker_prefix in listed else None

        listed = _wait_for("the Celery worker to answer the broker", worker_listed, components)
        for dag_id, logical_date in RUNS:
            if logical_date is None:
                run_id = f"celery__{uuid.uuid4().hex[:8]}"
                components.airflow("dags", "trigger", dag_id, "--run-id", run_id)
            else:
                components.airflow("backfill", "create", "--dag-id", dag_id,
                                   "--from-date", logical_date, "--to-date", logical_date)
                with psycopg.connect(metadata) as conn:
                    run_id, = conn.execute(
                        "select run_id from dag_run where dag_id = %s and run_type = 'backfill'"
                        " order by id desc limit 1", (dag_id,)).fetchone()

            def finished(dag_id=dag_id, run_id=run_id):
                with psycopg.connect(metadata) as conn:
                    state = conn.execute(
                        "select state from dag_run where dag_id = %s and run_id = %s",
                        (dag_id, run_id)).fetchone()
                return state[0] if state and state[0] in ("success", "failed") else None

            state = _wait_for(f"run {run_id} of {dag_id}", finished, components)
            assert state == "success", "\n".join(
                f"--- {name}\n{components.tail(name)}" for name in components.procs)
            run_ids.append(run_id)
    return metadata, run_ids, worker_name.split("@")[0], listed


def test_tasks_ran_on_the_celery_worker_with_results_in_the_metadata_db(celery_run):
    metadata, run_ids, worker, _ = celery_run
    with psycopg.connect(metadata) as conn:
        tis = conn.execute(
            "select ti.dag_id, ti.task_id, ti.state, ti.external_executor_id, m.status, m.worker"
            " from task_instance ti left join celery_taskmeta m on m.task_id = ti.external_executor_id"
            " where ti.run_id = any(%s)", (run_ids,)).fetchall()
    assert sorted({ti[0] for ti in tis}) == sorted(dag_id for dag_id, _ in RUNS)
    for _, task_id, state, celery_id, status, ran_on in tis:
        assert state == "success", task_id
        # The scheduler records the Celery task id; the worker wrote the result under it.
        assert celery_id and status == "SUCCESS", (task_id, celery_id, status)
        assert ran_on.startswith(f"{worker}@"), (task_id, ran_on)


def test_the_runs_loaded_the_reference_data_and_the_feeds_day(celery_run, warehouse_dsn):
    with psycopg.connect(warehouse_dsn) as conn:
        deliveries = conn.execute(
            "select d.feed_unit_code, d.delivery, d.status, d.rows_loaded,"
            " (select count(*) from raw.case_snapshots s where s.load_id = d.load_id)"
            " from raw.deliveries d order by d.load_id").fetchall()
        units = conn.execute("select count(*) from raw.ref_units").fetchone()[0]
    assert [d[:3] for d in deliveries] == [("REFERENCE", "reference", "loaded"),
                                           ("H99.S03", FEED_DELIVERY, "loaded")]
    assert units > 0
    feed_rows_loaded, feed_rows_landed = deliveries[1][3:]
    assert feed_rows_loaded == feed_rows_landed > 0


def test_the_broker_lists_the_running_worker_as_the_compose_healthcheck_expects(celery_run):
    worker, listed = celery_run[2:]
    assert f"{worker}@" in listed

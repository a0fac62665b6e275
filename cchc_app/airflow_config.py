"""Airflow for this project: its home, its configuration (environment variables only), its
metadata database and what every run needs before it starts (its migrations).

Airflow is configured only through environment variables computed here, so the local
runs (`cchc run`, `cchc airflow standalone`, the tests) and the containers (the
ENTRYPOINT of docker/Dockerfile) share one code path.

State lives under `<state>/airflow` (`<repo>/.local/airflow` by default). The metadata
database is `airflow` (override: CCHC_AIRFLOW_DB) on the warehouse's Postgres server, owned
by and used only as the `airflow` login (no superuser). Airflow's processes get where the
warehouse is and the pipeline logins' passwords, never the administrator's: only the
bootstrap (`init`, or the CLI before a run) holds that.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path
from typing import TextIO

import psycopg

from cchc import settings
from cchc.credentials import secrets_dir
from cchc.dbt_runner import dbt_env
from cchc.warehouse import (
    create_database,
    login_dsn,
    server_conninfo,
    sqlalchemy_url,
    with_dbname,
)

SIMPLE_AUTH_MANAGER = "airflow.api_fastapi.auth.managers.simple.simple_auth_manager.SimpleAuthManager"
DAGS_FOLDER = settings.PROJECT_ROOT / "dags"
AIRFLOW_BIN = Path(sys.executable).parent / "airflow"


def airflow_home() -> Path:
    """AIRFLOW_HOME: logs, generated admin password, migration stamp."""
    return settings.state_dir() / "airflow"


def metadata_db_name() -> str:
    """The metadata database's name; tests and parallel checkouts set CCHC_AIRFLOW_DB."""
    return os.environ.get("CCHC_AIRFLOW_DB", "airflow")


def metadata_dsn(dsn: str) -> str:
    """The metadata database on `dsn`'s server, as Airflow's own login."""
    return login_dsn(with_dbname(dsn, metadata_db_name()), settings.AIRFLOW_LOGIN)


def airflow_env(dsn: str) -> dict[str, str]:
    """The environment variables Airflow and our tasks need, for warehouse `dsn`.

    Returned as an overlay: callers start processes with `{**os.environ, **airflow_env(dsn)}`
    so that secrets (API tokens, CCHC_APPLICANT_KEY) pass through from the caller. `dsn` may
    be the administrator's: the overlay keeps only where the server is, and each stage
    connects with its own login (cchc.settings.warehouse_dsn).
    """
    metadata_url = sqlalchemy_url(metadata_dsn(dsn))
    return {
        "AIRFLOW_HOME": str(airflow_home()),
        "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS_FOLDER),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        # LocalExecutor serves standalone and the containers; `dags test` runs tasks in-process.
        # A deployment may choose another (docker-compose profile `celery`: CeleryExecutor).
        "AIRFLOW__CORE__EXECUTOR": os.environ.get("AIRFLOW__CORE__EXECUTOR") or "LocalExecutor",
        "AIRFLOW__CORE__AUTH_MANAGER": SIMPLE_AUTH_MANAGER,
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": metadata_url,
        # Airflow would derive an asyncpg URL, a driver we do not install.
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_ASYNC": metadata_url,
        # After a database restart nothing may stay queued or running for ever: the scheduler
        # fails (or retries) a task queued this long, or whose heartbeats stopped this long.
        "AIRFLOW__SCHEDULER__TASK_QUEUED_TIMEOUT": "600",
        "AIRFLOW__SCHEDULER__TASK_INSTANCE_HEARTBEAT_TIMEOUT": "300",
        # A task reports its state through the execution API, which writes the metadata DB:
        # while that DB restarts, keep asking (doubling pauses, ~4 min) instead of 5 tries
        # in ~30 s, so the task's end is recorded once the DB is back.
        "AIRFLOW__WORKERS__EXECUTION_API_RETRIES": "10",
        "AIRFLOW__WORKERS__EXECUTION_API_RETRY_WAIT_MAX": "30",
        "WAREHOUSE_DSN": server_conninfo(dsn),
        "CCHC_STATE_DIR": str(settings.state_dir()),
        # The logins' passwords live there, whichever state folder the caller gave.
        "CCHC_SECRETS_DIR": str(secrets_dir()),
        # Cosmos runs dbt inside Airflow's processes, so the profile's variables live here too,
        # and it finds dbt on PATH.
        **dbt_env(dsn),
        "PATH": os.pathsep.join([str(AIRFLOW_BIN.parent), os.environ.get("PATH", os.defpath)]),
        # Tasks import the project's packages from this checkout, installed or not (the
        # package list of pyproject.toml leaves out sampledata, which serves the emulator).
        "PYTHONPATH": os.pathsep.join(
            p for p in (str(settings.PROJECT_ROOT), os.environ.get("PYTHONPATH")) if p),
        # Cosmos's partial-parse cache of each DAG's dbt task (dags/_common/dbt.py): keep it
        # per state folder, so
        # two checkouts (or test sessions) on one machine never share it.
        "AIRFLOW__COSMOS__CACHE_DIR": str(settings.state_dir() / "cosmos"),
        # Government data stays in the province: no usage pings from Cosmos or dbt.
        "AIRFLOW__COSMOS__ENABLE_TELEMETRY": "False",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "False",
    }


def process_env(dsn: str) -> dict[str, str]:
    return {**os.environ, **airflow_env(dsn)}


def ensure_metadata_db(admin_dsn: str) -> None:
    """Create the metadata database on the warehouse's server if it is missing, owned by
    Airflow's login (created with its own password): `airflow db migrate` runs as it."""
    create_database(admin_dsn, metadata_db_name(), owner=settings.AIRFLOW_LOGIN)


def _stamp_path() -> Path:
    return airflow_home() / f"migrated-{metadata_db_name()}.json"


def _metadata_revision(dsn: str) -> str | None:
    with psycopg.connect(metadata_dsn(dsn)) as conn:
        exists = conn.execute("select to_regclass('public.alembic_version')").fetchone()[0]
        if exists is None:
            return None
        row = conn.execute("select version_num from alembic_version").fetchone()
        return row[0] if row else None


def migrate(dsn: str, log: TextIO | None = None) -> None:
    """`airflow db migrate`, skipped when this Airflow version already migrated this database.

    The fast path compares the database's alembic revision with the one recorded after our
    last migration (a stamp under AIRFLOW_HOME), which costs one query instead of ~8 s.
    Alembic's output goes to `log` when given (a run's log file), else to the terminal.
    """
    ensure_metadata_db(dsn)
    airflow_home().mkdir(parents=True, exist_ok=True)
    installed = version("apache-airflow-core")
    stamp = _stamp_path()
    if stamp.exists():
        recorded = json.loads(stamp.read_text(encoding="utf-8"))
        if recorded.get("airflow") == installed and recorded.get("revision") == _metadata_revision(dsn):
            return
    if log is not None:
        log.flush()
    subprocess.run([str(AIRFLOW_BIN), "db", "migrate"], env=process_env(dsn), check=True,
                   stdout=log, stderr=subprocess.STDOUT if log is not None else None)
    stamp.write_text(json.dumps({"airflow": installed, "revision": _metadata_revision(dsn)}),
                     encoding="utf-8")


def init(dsn: str, log: TextIO | None = None) -> None:
    """Everything a DAG run needs before it starts: the metadata DB migrated. (The DAGs need
    no dbt manifest: dbt is one task, parsed when it runs; see dags/_common/dbt.py.)"""
    migrate(dsn, log)

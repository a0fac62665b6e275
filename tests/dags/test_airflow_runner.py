"""cchc.airflow_runner: the configuration every Airflow process gets, and its fast paths."""
from __future__ import annotations

import os
import time

import psycopg


def test_metadata_database_sits_beside_the_warehouse(airflow_for_module, warehouse_dsn):
    env = airflow_for_module.airflow_env(warehouse_dsn)
    warehouse = psycopg.conninfo.conninfo_to_dict(warehouse_dsn)
    url = env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]
    assert url.startswith("postgresql+psycopg://")
    assert url.endswith(f"@{warehouse['host']}:{warehouse['port']}/{os.environ['CCHC_AIRFLOW_DB']}")
    assert env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_ASYNC"] == url
    assert env["AIRFLOW__CORE__EXECUTOR"] == "LocalExecutor"
    assert env["AIRFLOW__CORE__AUTH_MANAGER"].endswith("SimpleAuthManager")
    assert env["AIRFLOW__CORE__LOAD_EXAMPLES"] == "False"
    assert env["WAREHOUSE_DSN"] == warehouse_dsn
    assert env["CCHC_PG_DBNAME"] == warehouse["dbname"]  # what the dbt profile reads


def test_second_migrate_and_precompile_are_fast_no_ops(airflow_configured, server_dsn):
    manifest = airflow_configured.dbt_manifest_path()
    built_at = manifest.stat().st_mtime
    started = time.monotonic()
    airflow_configured.init(server_dsn)  # the session fixture already migrated and precompiled
    assert time.monotonic() - started < 5
    assert manifest.stat().st_mtime == built_at


def test_progress_shows_tasks_our_lines_and_errors_with_their_traceback(airflow_configured):
    progress = airflow_configured._Progress()
    lines = [
        "2026-01-01T00:00:00.1Z [info     ] Filling up the DagBag   [airflow.dag_processing] loc=x",
        "2026-01-01T00:00:00.2Z [info     ] [DAG TEST] starting task_id=gate map_index=-1 [airflow.sdk] loc=x",
        "2026-01-01T00:00:00.3Z [info     ] Unit H99.S03: 1 deliveries processed [cchc.progress] loc=x",
        "\x1b[0m00:00:01  1 of 3 START sql table model marts.fct_cases",
        "2026-01-01T00:00:00.4Z [error    ] Task failed with exception [task] loc=x",
        "Traceback (most recent call last):",
        "GateClosed: blocking check completeness failed for H99.D02",
        "2026-01-01T00:00:00.5Z [info     ] Task instance state updated [airflow.api] loc=x",
        "DagRun failed",
    ]
    shown = [line for line in lines if progress.wanted(line)]
    assert shown == [lines[1], lines[2], lines[4], lines[5], lines[6]]

"""cchc_app.airflow_config: the configuration every Airflow process gets, and its fast paths."""
from __future__ import annotations

import os
import time

import psycopg

from cchc.warehouse import server_conninfo, with_dbname


def test_metadata_database_sits_beside_the_warehouse(airflow_for_module, warehouse_dsn):
    env = airflow_for_module.airflow_env(warehouse_dsn)
    warehouse = psycopg.conninfo.conninfo_to_dict(warehouse_dsn)
    url = env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]
    assert url.startswith("postgresql+psycopg://airflow:")
    assert url.endswith(f"@{warehouse['host']}:{warehouse['port']}/{os.environ['CCHC_AIRFLOW_DB']}")
    assert env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_ASYNC"] == url
    assert env["AIRFLOW__CORE__EXECUTOR"] == "LocalExecutor"
    assert env["AIRFLOW__CORE__AUTH_MANAGER"].endswith("SimpleAuthManager")
    assert env["AIRFLOW__CORE__LOAD_EXAMPLES"] == "False"
    # Where the warehouse is, without the administrator: each stage uses its own login.
    assert env["WAREHOUSE_DSN"] == server_conninfo(warehouse_dsn)
    assert env["CCHC_PG_DBNAME"] == warehouse["dbname"]  # what the dbt profile reads


def test_second_migrate_is_a_fast_no_op(airflow_configured, server_dsn):
    started = time.monotonic()
    airflow_configured.init(server_dsn)  # the session fixture already migrated
    assert time.monotonic() - started < 5


def test_metadata_database_belongs_to_airflows_own_login(airflow_configured, server_dsn):
    """`airflow db migrate` ran as the `airflow` login, no superuser, owning what it made."""
    metadata = with_dbname(server_dsn, os.environ["CCHC_AIRFLOW_DB"])
    with psycopg.connect(metadata) as conn:
        owners = conn.execute(
            "select distinct pg_get_userbyid(c.relowner) from pg_class c"
            " join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public'").fetchall()
        database_owner, = conn.execute(
            "select pg_get_userbyid(datdba) from pg_database where datname = current_database()"
        ).fetchone()
        superuser, = conn.execute(
            "select rolsuper from pg_roles where rolname = 'airflow'").fetchone()
    assert owners == [("airflow",)]
    assert (database_owner, superuser) == ("airflow", False)

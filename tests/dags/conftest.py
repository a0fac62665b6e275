"""Airflow for the DAG tests: configured by `cchc_app.airflow_config`, like every real run.

One Airflow state folder and one metadata database serve the whole session (migrating
costs ~8 s). Their settings reach the environment only while a module of this folder
runs, so tests elsewhere never see them; each module brings its own warehouse database
(`warehouse_dsn`) and data directory, which `airflow dags test` inherits.
"""
from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import pytest

from cchc import warehouse
from tests.paths import SAMPLE_DELIVERIES

DAGS_FOLDER = Path(__file__).resolve().parents[2] / "dags"


@pytest.fixture(scope="session")
def airflow_session_env(server_dsn, tmp_path_factory) -> dict[str, str]:
    """The session's Airflow settings, after migrating its metadata DB."""
    env = {"CCHC_STATE_DIR": str(tmp_path_factory.mktemp("state")),
           "CCHC_AIRFLOW_DB": f"t_airflow_{uuid.uuid4().hex[:8]}"}
    with pytest.MonkeyPatch.context() as mp:
        for name, value in env.items():
            mp.setenv(name, value)
        from cchc_app import airflow_config

        env |= {name: value for name, value in airflow_config.airflow_env(server_dsn).items()
                if name.startswith("AIRFLOW")}
        airflow_config.init(server_dsn)
    yield env
    if not os.environ.get("CCHC_KEEP_TEST_DB"):
        warehouse.drop_database(server_dsn, env["CCHC_AIRFLOW_DB"])


@pytest.fixture(scope="module")
def airflow_configured(airflow_session_env):
    """`cchc_app.airflow_config`, with the session's Airflow settings in the environment (so a
    test importing Airflow never falls back to ~/airflow)."""
    with pytest.MonkeyPatch.context() as mp:
        for name, value in airflow_session_env.items():
            mp.setenv(name, value)
        from cchc_app import airflow_config

        yield airflow_config


@pytest.fixture(scope="module")
def sample_data_dir(tmp_path_factory) -> Path:
    """A private copy of the shared sample deliveries (the warehouse never writes into it)."""
    target = tmp_path_factory.mktemp("data") / "deliveries"
    shutil.copytree(SAMPLE_DELIVERIES, target)
    return target


@pytest.fixture(scope="module")
def airflow_for_module(airflow_configured, warehouse_dsn, sample_data_dir):
    """The module's warehouse and data directory as the environment of `airflow dags test`."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("WAREHOUSE_DSN", warehouse_dsn)
        mp.setenv("CCHC_DATA_DIR", str(sample_data_dir))
        yield airflow_configured

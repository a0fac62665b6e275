"""Fixtures of the fault tests: the ingest kit's (see tests/ingest/kit.py), the DAG
tests' Airflow session (see tests/dags/conftest.py), and a clean pipeline run."""
import pytest

from tests.dags.conftest import airflow_configured, airflow_session_env  # noqa: F401
from tests.ingest.kit import data_dir, dsn  # noqa: F401


@pytest.fixture(scope="session")
def clean_warehouse(tmp_path_factory):
    """Snapshot of the warehouse after an undisturbed `cchc run` on the fault runs' sample."""
    from tests.faults.pipeline_runs import cchc_run, run_env
    from tests.faults.servers import throwaway_server
    from tests.faults.warehouse_state import snapshot

    state = tmp_path_factory.mktemp("clean")
    with throwaway_server(state) as server:
        result = cchc_run(run_env(state, server.dsn()))
        assert result.returncode == 0, result.output[-5000:]
        return snapshot(server.dsn())

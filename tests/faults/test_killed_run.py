"""The whole `make run` process group SIGKILLed mid-ingest and mid-dbt, then rerun
(issue #13): the rerun succeeds and the warehouse equals a clean run's."""
from __future__ import annotations

import signal

import pytest

from tests.faults.pipeline_runs import cchc_run, kill_process_group, mid_dbt, mid_ingest, run_env
from tests.faults.servers import throwaway_server
from tests.faults.warehouse_state import assert_same_warehouse

pytestmark = [pytest.mark.slow, pytest.mark.faults]


@pytest.mark.parametrize("moment", [mid_ingest, mid_dbt], ids=["mid-ingest", "mid-dbt"])
def test_run_killed_then_rerun(tmp_path, clean_warehouse, moment):
    with throwaway_server(tmp_path / "server") as server:
        env = run_env(tmp_path / "state", server.dsn())
        killed = cchc_run(env, when=moment(), then=kill_process_group)
        assert killed.faulted and killed.returncode == -signal.SIGKILL, killed.output[-3000:]

        rerun = cchc_run(env)

        assert rerun.returncode == 0, rerun.output[-5000:]
        assert_same_warehouse(server.dsn(), clean_warehouse)

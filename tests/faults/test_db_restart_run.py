"""The warehouse's PostgreSQL restarts while `cchc run` ingests (issues #17, #13): the run
succeeds in one go — each task redoes its step with growing pauses, and the runner resumes
the run when Airflow's own bookkeeping lost the database — and the warehouse equals a
clean run's.

Both deployments: the embedded server of the state folder, and a separate server reached
by WAREHOUSE_DSN that also holds Airflow's metadata database (a throwaway server started
for the test, never the machine's shared one).
"""
from __future__ import annotations

import pytest

from tests.faults.pipeline_runs import cchc_run, mid_ingest, run_env
from tests.faults.servers import ThrowawayServer, throwaway_server
from tests.faults.warehouse_state import assert_same_warehouse

pytestmark = [pytest.mark.slow, pytest.mark.faults]


def _restart_mid_ingest(env, server: ThrowawayServer):
    run = cchc_run(env, when=mid_ingest(), then=lambda _run: server.restart())
    assert run.faulted, "the server was never restarted"
    assert run.returncode == 0, run.output[-5000:]  # no rerun needed
    return run


def test_embedded_server_restarted_mid_ingest(tmp_path, clean_warehouse):
    state = tmp_path / "state"
    # The run starts the state folder's embedded server itself; the test takes it over
    # once it runs, through the same machinery.
    with throwaway_server(state) as server:
        run = _restart_mid_ingest(run_env(state), server)
        assert_same_warehouse(server.dsn(), clean_warehouse)
    print(f"run: exit {run.returncode} after {run.seconds:.0f} s, resumed "
          f"{run.output.count('chạy tiếp lần chạy này')} times")


def test_separate_server_with_airflow_metadata_restarted_mid_ingest(tmp_path, clean_warehouse):
    with throwaway_server(tmp_path / "server") as server:
        env = run_env(tmp_path / "state", server.dsn())
        run = _restart_mid_ingest(env, server)
        assert "airflow" in _databases(server)  # the metadata DB lives on the restarted server
        assert_same_warehouse(server.dsn(), clean_warehouse)
    print(f"run: exit {run.returncode} after {run.seconds:.0f} s, resumed "
          f"{run.output.count('chạy tiếp lần chạy này')} times")


def _databases(server: ThrowawayServer) -> set[str]:
    import psycopg

    with psycopg.connect(server.dsn("postgres")) as conn:
        return {r[0] for r in conn.execute("select datname from pg_database")}

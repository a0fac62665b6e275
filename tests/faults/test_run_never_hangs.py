"""`cchc_app.dag_run.run_dag` (what `make run` drives) always ends: a task instance
whose end the metadata database lost is run again, and a run that cannot end by itself
is stopped, marked failed and explained; a failure is never hidden by the task that
gives a lease back. Real `airflow dags test` runs of small DAGs."""
from __future__ import annotations

import textwrap

import psutil
import psycopg
import pytest

from cchc_app.dag_run import run_dag

#: `lose_a` does to task `a` what a metadata database restarting as `a` ends does: the
#: end is lost and `a` stays `running` for ever, with `done` waiting on it.
DAGS = textwrap.dedent('''
    import os, time
    import pendulum, psycopg
    from airflow.sdk import DAG, get_current_context, task

    def metadata():
        return os.environ["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"].replace("+psycopg", "")

    @task
    def a():
        with psycopg.connect(metadata(), autocommit=True) as conn:
            conn.execute("create table if not exists a_runs (at timestamptz default now())")
            conn.execute("insert into a_runs default values")

    @task
    def lose_a():
        ti = get_current_context()["ti"]
        with psycopg.connect(metadata(), autocommit=True) as conn:
            conn.execute("update task_instance set state = 'running' where dag_id = %s"
                         " and run_id = %s and task_id = 'a'", (ti.dag_id, ti.run_id))

    @task
    def done():
        pass

    with DAG("lost_end", schedule=None, start_date=pendulum.datetime(2024, 1, 1)):
        first = a()
        first >> lose_a() >> done()
        first >> done()

    @task
    def hold():
        pass

    @task
    def build():
        raise ValueError("a dbt model failed")

    @task
    def give_back():
        pass

    with DAG("fails_holding_a_lease", schedule=None, start_date=pendulum.datetime(2024, 1, 1)):
        held = hold()
        held >> build() >> give_back().as_teardown(setups=held)

    @task(retries=1, retry_delay=1)
    def broken_once():
        # Fails its first try, as ingest_feed does when a restart hits Airflow's bookkeeping.
        marker = os.path.join(os.environ["CCHC_STATE_DIR"], "broken_once")
        if not os.path.exists(marker):
            open(marker, "w").close()
            raise ConnectionError("server closed the connection unexpectedly")

    with DAG("retried_once", schedule=None, start_date=pendulum.datetime(2024, 1, 1)):
        broken_once()

    @task
    def step():
        pass

    @task
    def lose_the_database_once():
        # What `dags test` does when its own loop finds the metadata DB gone: the process
        # ends with the lost connection as its last error.
        marker = os.path.join(os.environ["CCHC_STATE_DIR"], "lost_database_once")
        if not os.path.exists(marker):
            open(marker, "w").close()
            os.write(2, b"sqlalchemy.exc.OperationalError: (psycopg.OperationalError) consuming"
                        b" input failed: server closed the connection unexpectedly\\n")
            os._exit(1)

    with DAG("loses_the_database", schedule=None, start_date=pendulum.datetime(2024, 1, 1)):
        step() >> lose_the_database_once()

    @task
    def hang():
        time.sleep(600)

    with DAG("hangs", schedule=None, start_date=pendulum.datetime(2024, 1, 1)):
        hang()
''')


@pytest.fixture
def runner(airflow_configured, server_dsn, tmp_path, monkeypatch):
    dags = tmp_path / "dags"
    dags.mkdir()
    (dags / "fault_dags.py").write_text(DAGS, encoding="utf-8")
    monkeypatch.setattr(airflow_configured, "DAGS_FOLDER", dags)
    monkeypatch.setenv("WAREHOUSE_DSN", server_dsn)
    monkeypatch.setenv("CCHC_RUN_STALL_SECONDS", "5")
    return airflow_configured


def _metadata(runner, server_dsn, sql, params=()):
    from cchc.warehouse import with_dbname

    with psycopg.connect(with_dbname(server_dsn, runner.metadata_db_name())) as conn:
        return conn.execute(sql, params).fetchall()


def test_a_task_whose_end_was_lost_runs_again_and_the_run_succeeds(runner, server_dsn, capfd):
    status = run_dag("lost_end", {})

    out = capfd.readouterr().out
    assert status == 0, out[-3000:]
    assert "tác vụ a bị bỏ dở khi cơ sở dữ liệu mất kết nối; chạy lại tác vụ này." in out
    assert _metadata(runner, server_dsn, "select count(*) from a_runs") == [(2,)]


def test_a_run_that_cannot_end_is_stopped_failed_and_explained(runner, server_dsn, capfd, monkeypatch):
    monkeypatch.setenv("CCHC_RUN_SILENCE_SECONDS", "15")
    before = {p.pid for p in psutil.Process().children(recursive=True)}

    status = run_dag("hangs", {})

    out = capfd.readouterr().out
    assert status == 1
    assert "THẤT BẠI" in out
    assert "lỗi / error: tác vụ hang không ghi gì trong 15 giây" in out
    assert "Chạy lại đúng lệnh này: các lần nạp đã hoàn tất được giữ lại" in out
    assert {p.pid for p in psutil.Process().children(recursive=True)} <= before  # nothing left behind
    states = _metadata(runner, server_dsn,
                       "select r.state, ti.state from dag_run r join task_instance ti using (dag_id, run_id)"
                       " where r.dag_id = 'hangs' order by r.run_after desc limit 1")
    assert states == [("failed", "failed")]


def test_a_failed_build_fails_the_run_though_its_lease_is_given_back(runner, server_dsn):
    # The shape of every marts build (claim_marts … release_marts as setup/teardown): the
    # teardown runs after the failure and does not turn the run green.
    status = run_dag("fails_holding_a_lease", {})

    assert status == 1
    states = dict(_metadata(runner, server_dsn,
                            "select ti.task_id, ti.state from task_instance ti join dag_run r"
                            " using (dag_id, run_id) where r.dag_id = 'fails_holding_a_lease'"))
    assert states == {"hold": "success", "build": "failed", "give_back": "success"}


def test_a_task_with_a_retry_recovers_within_the_interactive_run(runner):
    assert run_dag("retried_once", {}) == 0


def test_a_run_whose_airflow_lost_its_database_is_resumed_and_succeeds(runner, server_dsn, capfd):
    status = run_dag("loses_the_database", {})

    out = capfd.readouterr().out
    assert status == 0, out[-3000:]
    assert "chờ nó hoạt động lại rồi chạy tiếp lần chạy này" in out
    # The same run went on: one run, succeeded, both tasks done.
    runs = _metadata(runner, server_dsn, "select run_id, state from dag_run"
                     " where dag_id = 'loses_the_database'")
    assert [state for _run, state in runs] == ["success"]
    states = _metadata(runner, server_dsn, "select task_id, state from task_instance"
                       " where dag_id = 'loses_the_database' order by task_id")
    assert states == [("lose_the_database_once", "success"), ("step", "success")]

"""Rescuing a `dags test` run whose task instances were abandoned, and stopping one that
cannot end by itself (the run and every process it started)."""
from __future__ import annotations

import contextlib
import subprocess
import time
from datetime import datetime

from cchc_app.airflow_config import metadata_dsn
from cchc_app.dag_watch import Watch, label


class Rescuer:
    """Finds this run's abandoned task instances in the metadata DB and hands them back to
    the `dags test` loop (state `scheduled`: it runs them again, which every task allows),
    once each; a task instance abandoned twice stops the run."""

    def __init__(self, dsn: str, dag_id: str, started: datetime) -> None:
        self._dsn = metadata_dsn(dsn)
        self._dag_id = dag_id
        self._started = started
        self._rescued: set[tuple[str, int]] = set()
        self._checked = 0.0

    def _query(self, sql: str, params: tuple) -> list[tuple]:
        import psycopg

        with psycopg.connect(self._dsn, connect_timeout=5, autocommit=True) as conn:
            return conn.execute(sql, params).fetchall()

    def _unfinished(self) -> list[tuple[str, int]]:
        return [(r[0], r[1]) for r in self._query(
            "select ti.task_id, ti.map_index from task_instance ti"
            " join dag_run r on r.dag_id = ti.dag_id and r.run_id = ti.run_id"
            " where r.dag_id = %s and r.state = 'running' and r.triggered_by = 'TEST'"
            " and r.run_after >= %s and ti.state in ('running', 'queued')",
            (self._dag_id, self._started))]

    def check(self, watch: Watch) -> str | None:
        """Reschedule abandoned task instances; the reason to stop the run, or None."""
        import psycopg

        if time.monotonic() - self._checked < watch.stall_seconds:
            return None  # a long silent task: look again later, not every second
        self._checked = time.monotonic()
        try:
            abandoned = [ti for ti in self._unfinished() if watch.idle(ti)]
            again = [ti for ti in abandoned if ti in self._rescued]
            if again:
                return (f"tác vụ {', '.join(map(label, again))} lại bị bỏ dở: Airflow không ghi "
                        "nhận được kết thúc của nó (cơ sở dữ liệu metadata mất kết nối?)")
            for task_id, map_index in abandoned:
                self._query(
                    "update task_instance ti set state = 'scheduled' from dag_run r"
                    " where r.dag_id = ti.dag_id and r.run_id = ti.run_id and r.dag_id = %s"
                    " and r.state = 'running' and r.triggered_by = 'TEST' and r.run_after >= %s"
                    " and ti.task_id = %s and ti.map_index = %s"
                    " and ti.state in ('running', 'queued') returning ti.task_id",
                    (self._dag_id, self._started, task_id, map_index))
                self._rescued.add((task_id, map_index))
                print(f"[cchc] tác vụ {label((task_id, map_index))} bị bỏ dở khi cơ sở dữ liệu "
                      "mất kết nối; chạy lại tác vụ này.", flush=True)
        except psycopg.Error:
            return None  # the database is still away: `dags test` itself fails soon enough
        return None

    def reopen_run(self) -> None:
        """Set the run back to `running` with its unfinished task instances cleared, so that
        `dags test` started again for the same logical date takes it up (it clears the
        run's task instances and runs them again: every task is idempotent)."""
        self._query(
            "with runs as (update dag_run set state = 'running', end_date = null"
            " where dag_id = %s and triggered_by = 'TEST' and run_after >= %s returning run_id)"
            " update task_instance set state = null, end_date = null"
            " where dag_id = %s and run_id in (select run_id from runs)"
            " and state in ('running', 'queued', 'scheduled', 'restarting', 'failed',"
            " 'upstream_failed', 'up_for_retry') returning task_id",
            (self._dag_id, self._started, self._dag_id))
        self._rescued.clear()

    def wait_for_database(self) -> None:
        """Until the metadata database answers again (bounded: cchc.transient)."""
        from cchc.transient import retry_transient

        retry_transient(lambda: self._query("select 1", ()), "Airflow metadata database")

    def fail_run(self) -> None:
        """Mark the stopped run and its unfinished task instances failed, so nothing stays
        `running` or `queued` for ever. Best effort: the database may be what is gone."""
        import psycopg

        try:
            self._query(
                "with runs as (update dag_run set state = 'failed', end_date = now()"
                " where dag_id = %s and state in ('running', 'queued') and triggered_by = 'TEST'"
                " and run_after >= %s returning run_id)"
                " update task_instance set state = 'failed', end_date = now()"
                " where dag_id = %s and run_id in (select run_id from runs)"
                " and (state is null or state not in"
                " ('success', 'failed', 'skipped', 'upstream_failed', 'removed'))"
                " returning task_id", (self._dag_id, self._started, self._dag_id))
        except psycopg.Error as error:
            print(f"[cchc] (không đánh dấu được lần chạy là thất bại trong metadata: {error})",
                  flush=True)


def terminate(proc: subprocess.Popen, grace: float = 10.0) -> None:
    """Stop `airflow dags test` and every process it started (dbt, the API emulator)."""
    import psutil

    try:
        parent = psutil.Process(proc.pid)
        family = [*parent.children(recursive=True), parent]
    except psutil.NoSuchProcess:
        family = []
    for member in family:
        with contextlib.suppress(psutil.NoSuchProcess):
            member.terminate()
    _, alive = psutil.wait_procs(family, timeout=grace)
    for member in alive:
        with contextlib.suppress(psutil.NoSuchProcess):
            member.kill()
    proc.wait()

"""One DAG run with `airflow dags test`: its log file, the progress display fed from its
output, and the watchdog that stops it when it can no longer end by itself."""
from __future__ import annotations

import json
import os
import queue
import subprocess
import threading
from datetime import UTC, datetime

import psycopg

from cchc import settings
from cchc.marts_lock import RUN_PID_ENV
from cchc.transient import DatabaseUnavailable, names_lost_connection
from cchc_app.airflow_config import AIRFLOW_BIN, airflow_home, init, metadata_dsn, process_env
from cchc_app.dag_watch import Watch, label
from cchc_app.progress import RunDisplay
from cchc_app.rescue import Rescuer, terminate


def _pump(stream, lines: queue.Queue) -> None:
    for line in stream:
        lines.put(line)
    lines.put(None)


def _next_line(lines: queue.Queue) -> str | None:
    """The next output line; "" when none came within a second (time to check the watch)."""
    try:
        return lines.get(timeout=1.0)
    except queue.Empty:
        return ""


def run_dag(dag_id: str, conf: dict, logical_date: datetime | str | None = None,
            total_feeds: int | None = None) -> int:
    """Run one DAG run with `airflow dags test`; return its exit status (0: the run succeeded).

    The migrations' and the run's own output (Airflow, dbt) go to a log file under
    `<AIRFLOW_HOME>/runs/`; the terminal gets the progress display (`cchc_app.progress`),
    with a bar over `total_feeds` when given. The run uses the warehouse of
    `cchc.settings.warehouse_dsn()`. `logical_date` picks the data interval: a daily
    ingest run at D covers the day before D.
    A run that can no longer end by itself (see `Watch`) is stopped: it never hangs.
    When `dags test` ends because Airflow's metadata database went away (its last error is
    a lost connection, or a task's end was lost twice), the run is resumed: once the
    database answers, the same run (same logical date) is started again, up to
    CCHC_RUN_RESUMES (2) times, so a database restart does not need a rerun.
    """
    dsn = settings.warehouse_dsn()
    # Fixed here, not left to `dags test`: a resumed run must be the same run.
    logical_date = logical_date or datetime.now(UTC)
    cmd = [str(AIRFLOW_BIN), "dags", "test", dag_id,
           logical_date.isoformat() if isinstance(logical_date, datetime) else logical_date,
           "--conf", json.dumps(conf)]
    full_log = airflow_home() / "runs" / f"{dag_id}-{datetime.now():%Y%m%dT%H%M%S}.log"
    full_log.parent.mkdir(parents=True, exist_ok=True)
    rescuer = Rescuer(dsn, dag_id, datetime.now(UTC))
    resumes = int(os.environ.get("CCHC_RUN_RESUMES", 2))
    # Line-buffered: whoever follows the log (a person's `tail -f`, the fault tests) sees
    # each line as it comes.
    with full_log.open("w", encoding="utf-8", buffering=1) as kept:
        display = RunDisplay(full_log, total_feeds)
        init(dsn, kept)
        kept.flush()
        while True:
            watch = Watch()
            stopped: str | None = None
            lost_end = False
            lines: queue.Queue = queue.Queue()
            with subprocess.Popen(
                    cmd, env={**process_env(dsn), RUN_PID_ENV: str(os.getpid())},
                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1) as proc:
                threading.Thread(target=_pump, args=(proc.stdout, lines), daemon=True).start()
                try:
                    while (line := _next_line(lines)) is not None:
                        if line:
                            kept.write(line)
                            watch.saw(line)
                            display.feed(line)
                        elif watch.current and watch.silent_for() > watch.silence_seconds:
                            stopped = (f"tác vụ {label(watch.current)} không ghi gì trong "
                                       f"{watch.silence_seconds:.0f} giây (treo khi chờ cơ sở dữ liệu?)")
                        elif watch.silent_for() > watch.stall_seconds:
                            stopped = rescuer.check(watch)
                            lost_end = stopped is not None
                        if stopped:
                            terminate(proc)
                            break
                except BaseException:  # Ctrl-C included: never leave `dags test` running behind us
                    terminate(proc)
                    raise
            failed = proc.returncode != 0 or stopped is not None
            if not failed or resumes <= 0 or not (lost_end or names_lost_connection(watch.error)):
                break
            resumes -= 1
            print("[cchc] cơ sở dữ liệu metadata của Airflow mất kết nối giữa lần chạy; chờ nó "
                  "hoạt động lại rồi chạy tiếp lần chạy này (các bước đã xong được làm lại, "
                  "không nạp trùng).", flush=True)
            kept.write(f"[cchc] resuming the run after: {stopped or watch.error}\n")
            try:
                rescuer.wait_for_database()
                rescuer.reopen_run()
            except (DatabaseUnavailable, psycopg.Error) as gone:  # it stayed away: stop, saying so
                stopped = f"cơ sở dữ liệu metadata không hoạt động lại: {gone}"
                break
    if stopped:
        rescuer.fail_run()
    # A stopped run's exit status is our SIGTERM's; report a plain failure instead.
    status = 0 if proc.returncode == 0 and not stopped else max(proc.returncode, 0) or 1
    display.finish(status, reason=stopped)
    return status


def task_result(dag_id: str, task_id: str, since: datetime) -> object:
    """What task `task_id` returned (its XCom) in the newest `dags test` run of `dag_id`
    started at or after `since`; None when there is no such value. How the CLI reads a
    run's result: tasks hand results on by return value, never through files."""
    with psycopg.connect(metadata_dsn(settings.warehouse_dsn()), connect_timeout=10) as conn:
        row = conn.execute(
            "select x.value from xcom x join dag_run r on r.id = x.dag_run_id"
            " where r.dag_id = %s and r.triggered_by = 'TEST' and r.run_after >= %s"
            " and x.task_id = %s and x.map_index = -1 and x.key = 'return_value'"
            " order by r.run_after desc limit 1", (dag_id, since, task_id)).fetchone()
    return row[0] if row else None

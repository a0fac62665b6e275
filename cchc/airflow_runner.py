"""Airflow for this project: its home, its configuration and how we start it.

Airflow is configured only through environment variables computed here, so the local
runs (`cchc run`, `cchc airflow standalone`, the tests) and the containers (the
ENTRYPOINT of docker/Dockerfile) share one code path:

    python -m cchc.airflow_runner init                  bootstrap the warehouse, migrate the
                                                        metadata DB, precompile dbt
    python -m cchc.airflow_runner dags-test DAG_ID [--conf JSON] [--logical-date ISO]
    python -m cchc.airflow_runner standalone            UI + scheduler on a free local port
    python -m cchc.airflow_runner serve COMPONENT ...   exec `airflow COMPONENT ...` (containers)

State lives under `<state>/airflow` (`<repo>/.local/airflow` by default). The metadata
database is `airflow` (override: CCHC_AIRFLOW_DB) on the warehouse's Postgres server, owned
by and used only as the `airflow` login (no superuser). Airflow's processes get where the
warehouse is and the pipeline logins' passwords, never the administrator's: only the
bootstrap (`init`, or the CLI before a run) holds that.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import queue
import re
import socket
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import TextIO
from urllib.parse import quote

from cchc import settings
from cchc.marts_lock import RUN_PID_ENV
from cchc.progress import LOG_LINE, RunDisplay
from cchc.transient import DatabaseUnavailable, names_lost_connection

SIMPLE_AUTH_MANAGER = "airflow.api_fastapi.auth.managers.simple.simple_auth_manager.SimpleAuthManager"
DAGS_FOLDER = settings.PROJECT_ROOT / "dags"
AIRFLOW_BIN = Path(sys.executable).parent / "airflow"


def airflow_home() -> Path:
    """AIRFLOW_HOME: logs, generated admin password, migration stamp."""
    return settings.state_dir() / "airflow"


def dbt_manifest_path() -> Path:
    """Where `precompile_dbt` writes the manifest the Cosmos task groups are built from."""
    return settings.state_dir() / "dbt" / "manifest" / "manifest.json"


def metadata_db_name() -> str:
    """The metadata database's name; tests and parallel checkouts set CCHC_AIRFLOW_DB."""
    return os.environ.get("CCHC_AIRFLOW_DB", "airflow")


def metadata_dsn(dsn: str) -> str:
    """The metadata database on `dsn`'s server, as Airflow's own login."""
    from cchc.warehouse import login_dsn, with_dbname

    return login_dsn(with_dbname(dsn, metadata_db_name()), settings.AIRFLOW_LOGIN)


def _sqlalchemy_url(dsn: str) -> str:
    """The SQLAlchemy URL (psycopg 3 driver, sync and async) of the metadata database."""
    import psycopg

    params = psycopg.conninfo.conninfo_to_dict(metadata_dsn(dsn))
    auth = f"{quote(params['user'], safe='')}:{quote(params['password'], safe='')}"
    host = params.get("host") or "127.0.0.1"
    port = params.get("port") or 5432
    return f"postgresql+psycopg://{auth}@{host}:{port}/{params['dbname']}"


def airflow_env(dsn: str) -> dict[str, str]:
    """The environment variables Airflow and our tasks need, for warehouse `dsn`.

    Returned as an overlay: callers start processes with `{**os.environ, **airflow_env(dsn)}`
    so that secrets (API tokens, CCHC_APPLICANT_KEY) pass through from the caller. `dsn` may
    be the administrator's: the overlay keeps only where the server is, and each stage
    connects with its own login (cchc.settings.warehouse_dsn).
    """
    from cchc.credentials import secrets_dir
    from cchc.dbt_runner import dbt_env
    from cchc.warehouse import server_address

    metadata_url = _sqlalchemy_url(dsn)
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
        "WAREHOUSE_DSN": server_address(dsn),
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
        # Cosmos's partial-parse cache is keyed by DAG id only: keep it per state folder, so
        # two checkouts (or test sessions) on one machine never share it.
        "AIRFLOW__COSMOS__CACHE_DIR": str(settings.state_dir() / "cosmos"),
        # Government data stays in the province: no usage pings from Cosmos or dbt.
        "AIRFLOW__COSMOS__ENABLE_TELEMETRY": "False",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "False",
    }


def _process_env(dsn: str) -> dict[str, str]:
    return {**os.environ, **airflow_env(dsn)}


def ensure_metadata_db(admin_dsn: str) -> None:
    """Create the metadata database on the warehouse's server if it is missing, owned by
    Airflow's login (created with its own password): `airflow db migrate` runs as it."""
    from cchc.warehouse import create_database

    create_database(admin_dsn, metadata_db_name(), owner=settings.AIRFLOW_LOGIN)


def _stamp_path() -> Path:
    return airflow_home() / f"migrated-{metadata_db_name()}.json"


def _metadata_revision(dsn: str) -> str | None:
    import psycopg

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
    subprocess.run([str(AIRFLOW_BIN), "db", "migrate"], env=_process_env(dsn), check=True,
                   stdout=log, stderr=subprocess.STDOUT if log is not None else None)
    stamp.write_text(json.dumps({"airflow": installed, "revision": _metadata_revision(dsn)}),
                     encoding="utf-8")


def precompile_dbt(dsn: str) -> Path:
    """`dbt parse` into the manifest folder unless the manifest is newer than every dbt file.

    DAG files build their Cosmos task groups from this manifest, so parsing a DAG never
    runs dbt.
    """
    from cchc.dbt_runner import run_dbt

    manifest = dbt_manifest_path()
    sources = [p for p in settings.DBT_PROJECT_DIR.rglob("*")
               if p.is_file() and not {"target", "logs", "dbt_packages"} & set(p.parts)]
    newest_source = max((p.stat().st_mtime for p in sources), default=0.0)
    if not manifest.exists() or manifest.stat().st_mtime < newest_source:
        run_dbt(["parse"], dsn, target_path=manifest.parent, quiet=True)
    return manifest


def init(dsn: str, log: TextIO | None = None) -> None:
    """Everything a DAG run needs before it starts: metadata DB migrated, dbt manifest fresh."""
    migrate(dsn, log)
    precompile_dbt(dsn)


#: `dags test` runs task instances one after another inside its own process. When the
#: metadata database goes away just as one ends, its end is never recorded: it stays
#: `running` (or `queued`) while nothing runs it, and `dags test` waits for it for ever.
#: The runner notices (nothing but "No tasks to run" logged for STALL_SECONDS while the
#: database shows such a task instance), hands each abandoned one back to the loop once,
#: and stops the run if that does not help.
_TASK_START = re.compile(r"\[DAG TEST\] starting task_id=(?P<task>\S+) map_index=(?P<map>-?\d+)")
#: What `dags test` logs every second while no task instance can start: not progress.
_WAITING = "No tasks to run. unrunnable tasks:"
#: How `dags test` reports that the task it just ran ended without a recorded state.
_TASK_LOST = ("[DAG TEST] Error running task", "Task failed; ti=")
#: The last line of a Python traceback: `package.module.ErrorClass: message`.
_EXCEPTION_LINE = re.compile(r"^(?:[a-z_]\w*\.)*[A-Z]\w*: \S")


def _seconds(name: str, default: float) -> float:
    return float(os.environ.get(name, default))


class _Watch:
    """Follows a run's output: the task instance running now, the last error, and how long
    nothing was logged."""

    def __init__(self, clock=time.monotonic) -> None:
        self._clock = clock
        self.stall_seconds = _seconds("CCHC_RUN_STALL_SECONDS", 30)
        # Nothing logged for this long once tasks run: a task or Airflow itself is blocked
        # without a timeout (every task also has an execution_timeout).
        self.silence_seconds = _seconds("CCHC_RUN_SILENCE_SECONDS", 3600)
        self.current: tuple[str, int] | None = None
        self.current_ended = False
        self.error = ""
        self._last_line = clock()

    def saw(self, line: str) -> None:
        if _WAITING in line:
            return
        self._last_line = self._clock()
        if started := _TASK_START.search(line):
            self.current = (started["task"], int(started["map"]))
            self.current_ended = False
        elif any(marker in line for marker in _TASK_LOST):
            self.current_ended = True
        match = LOG_LINE.match(line)
        if match is None and _EXCEPTION_LINE.match(line):
            self.error = line.strip()

    def silent_for(self) -> float:
        return self._clock() - self._last_line

    def idle(self, ti: tuple[str, int]) -> bool:
        """True when `ti` is not the task instance `dags test` is running now."""
        return ti != self.current or self.current_ended


def _label(ti: tuple[str, int]) -> str:
    return ti[0] if ti[1] < 0 else f"{ti[0]}[{ti[1]}]"


class _Rescuer:
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

    def check(self, watch: _Watch) -> str | None:
        """Reschedule abandoned task instances; the reason to stop the run, or None."""
        import psycopg

        if time.monotonic() - self._checked < watch.stall_seconds:
            return None  # a long silent task: look again later, not every second
        self._checked = time.monotonic()
        try:
            abandoned = [ti for ti in self._unfinished() if watch.idle(ti)]
            again = [ti for ti in abandoned if ti in self._rescued]
            if again:
                return (f"tác vụ {', '.join(map(_label, again))} lại bị bỏ dở: Airflow không ghi "
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
                print(f"[cchc] tác vụ {_label((task_id, map_index))} bị bỏ dở khi cơ sở dữ liệu "
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


def _terminate(proc: subprocess.Popen, grace: float = 10.0) -> None:
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


def run_dag(dag_id: str, conf: dict, logical_date: datetime | str | None = None,
            total_feeds: int | None = None) -> int:
    """Run one DAG run with `airflow dags test`; return its exit status (0: the run succeeded).

    The migrations' and the run's own output (Airflow, dbt) go to a log file under
    `<AIRFLOW_HOME>/runs/`; the terminal gets the progress display (`cchc.progress`),
    with a bar over `total_feeds` when given. The run uses the warehouse of
    `cchc.settings.warehouse_dsn()`. `logical_date` picks the data interval: a daily
    ingest run at D covers the day before D.
    A run that can no longer end by itself (see `_Watch`) is stopped: it never hangs.
    When `dags test` ends because Airflow's metadata database went away (its last error is
    a lost connection, or a task's end was lost twice), the run is resumed: once the
    database answers, the same run (same logical date) is started again, up to
    CCHC_RUN_RESUMES (2) times, so a database restart does not need a rerun.
    """
    import psycopg

    dsn = settings.warehouse_dsn()
    # Fixed here, not left to `dags test`: a resumed run must be the same run.
    logical_date = logical_date or datetime.now(UTC)
    cmd = [str(AIRFLOW_BIN), "dags", "test", dag_id,
           logical_date.isoformat() if isinstance(logical_date, datetime) else logical_date,
           "--conf", json.dumps(conf)]
    full_log = airflow_home() / "runs" / f"{dag_id}-{datetime.now():%Y%m%dT%H%M%S}.log"
    full_log.parent.mkdir(parents=True, exist_ok=True)
    rescuer = _Rescuer(dsn, dag_id, datetime.now(UTC))
    resumes = int(_seconds("CCHC_RUN_RESUMES", 2))
    # Line-buffered: whoever follows the log (a person's `tail -f`, the fault tests) sees
    # each line as it comes.
    with full_log.open("w", encoding="utf-8", buffering=1) as kept:
        display = RunDisplay(full_log, total_feeds)
        init(dsn, kept)
        kept.flush()
        while True:
            watch = _Watch()
            stopped: str | None = None
            lost_end = False
            lines: queue.Queue = queue.Queue()
            with subprocess.Popen(
                    cmd, env={**_process_env(dsn), RUN_PID_ENV: str(os.getpid())},
                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1) as proc:
                threading.Thread(target=_pump, args=(proc.stdout, lines), daemon=True).start()
                try:
                    while (line := _next_line(lines)) is not None:
                        if line:
                            kept.write(line)
                            watch.saw(line)
                            display.feed(line)
                        elif watch.current and watch.silent_for() > watch.silence_seconds:
                            stopped = (f"tác vụ {_label(watch.current)} không ghi gì trong "
                                       f"{watch.silence_seconds:.0f} giây (treo khi chờ cơ sở dữ liệu?)")
                        elif watch.silent_for() > watch.stall_seconds:
                            stopped = rescuer.check(watch)
                            lost_end = stopped is not None
                        if stopped:
                            _terminate(proc)
                            break
                except BaseException:  # Ctrl-C included: never leave `dags test` running behind us
                    _terminate(proc)
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


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def standalone() -> int:
    """Start Airflow standalone (api-server, scheduler, dag-processor, triggerer) locally."""
    dsn = settings.warehouse_dsn()
    init(dsn)
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = {**_process_env(dsn), "AIRFLOW__API__PORT": str(port), "AIRFLOW__API__BASE_URL": base_url}
    password_file = airflow_home() / "simple_auth_manager_passwords.json.generated"
    print(f"[cchc] Airflow UI: {base_url}  (user admin; password in {password_file}, "
          "written on first start)", flush=True)
    return subprocess.run([str(AIRFLOW_BIN), "standalone"], env=env, check=False).returncode


def serve(component: list[str]) -> None:
    """Replace this process by `airflow <component...>` configured like every other run."""
    env = _process_env(settings.warehouse_dsn())
    os.execve(str(AIRFLOW_BIN), [str(AIRFLOW_BIN), *component], env)


def build_parser() -> argparse.ArgumentParser:
    """The command line of the module (also the containers' entrypoint)."""
    parser = argparse.ArgumentParser(prog="python -m cchc.airflow_runner", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("init", help="bootstrap the warehouse, migrate Airflow's DB, precompile dbt")
    test = sub.add_parser("dags-test", help="run one DAG run in this process tree")
    test.add_argument("dag_id")
    test.add_argument("--conf", default="{}", help="DAG run conf as JSON")
    test.add_argument("--logical-date", help="ISO date or datetime")
    sub.add_parser("standalone", help="the UI and scheduler on a free local port")
    serve_cmd = sub.add_parser("serve", help="exec an Airflow component, e.g. `serve scheduler`")
    serve_cmd.add_argument("component", nargs=argparse.REMAINDER)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "init":
        from cchc.warehouse import bootstrap

        dsn = settings.warehouse_dsn()
        bootstrap(dsn)
        init(dsn)
        return 0
    if args.command == "dags-test":
        return run_dag(args.dag_id, json.loads(args.conf), args.logical_date)
    if args.command == "standalone":
        return standalone()
    serve(args.component)
    return 0  # not reached: serve() replaces the process


if __name__ == "__main__":
    sys.exit(main())

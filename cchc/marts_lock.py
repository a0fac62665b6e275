"""One writer of the marts at a time.

Three DAGs rebuild the marts (`transform__dbt`, `publish__annual_report`,
`cchc__annual_pipeline`), for possibly different years and cut-off dates. A build is
many tasks (one per dbt model), each in its own session — under the scheduler in its own
process — so no database session can hold a lock for the whole of it. The build holds a
lease instead: the one row of `ops.marts_lease` (schema `ops`: the pipeline's own
state, not data) names the DAG run that builds. A run
claims it before its first model and releases it after the last task that reads the
marts (the report), also when the build fails; another run waits for it.

A lease whose holder died is taken over, so a killed run never blocks the next one:
at once when the holder was an interactive run (`cchc run` records its process id, and
that process is gone), else once it is older than STALE_AFTER, longer than any build.
"""
from __future__ import annotations

import os
import socket
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

import psycopg

#: Longer than any full build (the whole province builds in minutes): a lease this old
#: belongs to a run that died without releasing it.
STALE_AFTER = timedelta(hours=2)
#: `cchc_app.dag_run.run_dag` puts its own process id here for the tasks it runs.
RUN_PID_ENV = "CCHC_RUN_PID"
_LOCK_KEY = "cchc:marts_lease"


class MartsBusy(RuntimeError):
    """Another run kept the marts for longer than this one would wait."""


@dataclass(frozen=True)
class Lease:
    holder: str
    claimed_at: datetime
    host: str | None
    pid: int | None


def ensure_schema(conn: psycopg.Connection) -> None:
    """The lease table; created by the bootstrap (cchc.warehouse), like every stage's tables."""
    with conn.transaction():
        conn.execute("select pg_advisory_xact_lock(hashtext(%s))", (_LOCK_KEY,))
        conn.execute("create schema if not exists ops")
        conn.execute(
            "create table if not exists ops.marts_lease ("
            " one_row boolean primary key default true check (one_row),"
            " holder text, claimed_at timestamptz, host text, pid integer)")
        conn.execute("insert into ops.marts_lease (one_row) values (true) on conflict do nothing")
        # Which run last changed the marts: what a report records as the build it read.
        # Added after the first deployments, hence an in-place upgrade.
        conn.execute("alter table ops.marts_lease add column if not exists built_by text,"
                     " add column if not exists built_at timestamptz")


def _alive(lease: Lease, now: datetime) -> bool:
    if now - lease.claimed_at > STALE_AFTER:
        return False
    if lease.pid is not None and lease.host == socket.gethostname():
        import psutil

        return psutil.pid_exists(lease.pid)
    return True


def current(dsn: str) -> Lease | None:
    """The lease as it stands, or None when no run holds the marts."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        row = conn.execute("select holder, claimed_at, host, pid from ops.marts_lease").fetchone()
    return Lease(*row) if row and row[0] else None


def claim(dsn: str, holder: str, wait: timedelta = timedelta(hours=1), poll: float = 5.0,
          pid: int | None = None, log=print, builds: bool = True) -> str | None:
    """Hold the marts for `holder` (a DAG run), waiting up to `wait` for another holder.

    Idempotent for the same holder (a retried task). `pid`: the interactive run's process,
    whose end frees the lease at once (default: the RUN_PID_ENV variable, if set).
    `builds`: the holder rebuilds the marts (a DAG run) and is recorded as their last
    builder; a reader (`cchc report`) only keeps builds out while it reads. Returns the
    last builder, the build the marts now hold.
    """
    if pid is None and os.environ.get(RUN_PID_ENV):
        pid = int(os.environ[RUN_PID_ENV])
    deadline = time.monotonic() + wait.total_seconds()
    told = None
    with psycopg.connect(dsn, autocommit=True) as conn:
        while True:
            with conn.transaction():
                row = conn.execute("select holder, claimed_at, host, pid, now()"
                                   " from ops.marts_lease for update").fetchone()
                other = Lease(*row[:4]) if row[0] and row[0] != holder else None
                if other is None or not _alive(other, row[4]):
                    # A reader's login may set only who holds the lease, not who built.
                    built = ", built_by = %(holder)s, built_at = now()" if builds else ""
                    built_by = conn.execute(
                        "update ops.marts_lease set holder = %(holder)s, claimed_at = now(),"
                        f" host = %(host)s, pid = %(pid)s{built} returning built_by",
                        {"holder": holder, "host": socket.gethostname(), "pid": pid},
                    ).fetchone()[0]
                    if other is not None:
                        log(f"marts lease of {other.holder} (since {other.claimed_at:%Y-%m-%d %H:%M}) "
                            "taken over: that run is gone")
                    return built_by
            if time.monotonic() > deadline:
                raise MartsBusy(
                    f"the marts are being built by {other.holder} since "
                    f"{other.claimed_at:%Y-%m-%d %H:%M}; waited {wait}. Rerun once it ends.")
            if told != other.holder:
                log(f"waiting for {other.holder} to finish building the marts …")
                told = other.holder
            time.sleep(poll)


def release(dsn: str, holder: str) -> bool:
    """Give the marts back; False when `holder` no longer held them (taken over as stale)."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        released = conn.execute(
            "update ops.marts_lease set holder = null, claimed_at = null, host = null, pid = null"
            " where holder = %s", (holder,)).rowcount
    return released == 1

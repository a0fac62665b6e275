"""cchc.transient: a restarting or vanished server is retried with backoff for a bounded
time; an error in the data is raised at once. On a real server restarted under the work."""
from __future__ import annotations

import threading
import time

import psycopg
import pytest

from cchc.transient import Backoff, DatabaseUnavailable, is_transient, retry_transient
from tests.faults.servers import throwaway_server


@pytest.mark.parametrize(("error", "transient"), [
    (psycopg.errors.AdminShutdown("terminating connection due to administrator command"), True),  # 57P01
    (psycopg.errors.CrashShutdown("crash"), True),  # 57P02
    (psycopg.errors.CannotConnectNow("the database system is starting up"), True),  # 57P03
    (psycopg.errors.ConnectionFailure("x"), True),  # 08006: class 08
    (psycopg.OperationalError("consuming input failed: server closed the connection unexpectedly"), True),
    (psycopg.OperationalError('connection to server at "127.0.0.1", port 1 failed: Connection refused'), True),
    (psycopg.errors.DivisionByZero("division by zero"), False),  # 22012: the data
    (psycopg.errors.UniqueViolation("duplicate key"), False),  # 23505: the data
    (psycopg.errors.QueryCanceled("canceling statement due to statement timeout"), False),  # 57014
    (ValueError("Mã TTHC is empty on line 3"), False),
])
def test_what_counts_as_a_lost_connection(error, transient):
    assert is_transient(error) is transient


def test_a_lost_connection_inside_another_error_counts():
    try:
        try:
            raise psycopg.errors.AdminShutdown("terminating connection")
        except psycopg.Error as inner:
            raise RuntimeError("ingest of unit H99.S03 failed") from inner
    except RuntimeError as outer:
        assert is_transient(outer)


class _Clock:
    """Time that moves only when the retry sleeps."""

    def __init__(self):
        self.now = 0.0
        self.sleeps = []

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


def test_backoff_doubles_up_to_its_cap_then_gives_up_at_the_budget():
    clock = _Clock()
    calls = []

    def work():
        calls.append(clock.now)
        raise psycopg.errors.CannotConnectNow("the database system is starting up")

    with pytest.raises(DatabaseUnavailable, match="quality gate: the database stayed unreachable"):
        retry_transient(work, "quality gate",
                        Backoff(base=1, cap=8, budget=30, sleep=clock.sleep, clock=lambda: clock.now))
    # Pauses 1, 2, 4, 8, 8 (= 23 s waited); the next 8 would pass the 30 s budget.
    assert clock.sleeps == [1, 2, 4, 8, 8]
    assert calls == [0, 1, 3, 7, 15, 23]


def test_an_error_in_the_data_is_raised_at_once(tmp_path):
    clock = _Clock()
    calls = []

    def work():
        calls.append(1)
        raise psycopg.errors.DivisionByZero("division by zero")

    with pytest.raises(psycopg.errors.DivisionByZero):
        retry_transient(work, "x", Backoff(sleep=clock.sleep, clock=lambda: clock.now))
    assert calls == [1] and clock.sleeps == []


def test_work_survives_a_real_restart_of_its_server(tmp_path):
    with throwaway_server(tmp_path / "state") as server:
        with psycopg.connect(server.dsn(), autocommit=True) as conn:
            conn.execute("create table t (x int)")
        attempts = []

        def insert_slowly():
            attempts.append(time.monotonic())
            with psycopg.connect(server.dsn()) as conn:
                conn.execute("select pg_sleep(2)")  # the restart lands here on the first try
                conn.execute("insert into t values (1)")

        restarter = threading.Timer(0.8, server.restart)
        restarter.start()
        retry_transient(insert_slowly, "insert", Backoff(base=0.5, budget=60))
        restarter.join()

        with psycopg.connect(server.dsn()) as conn:
            assert conn.execute("select count(*) from t").fetchone() == (1,)  # once, not twice
        assert len(attempts) >= 2


def test_a_server_that_stays_away_ends_the_work_within_its_budget(tmp_path):
    with throwaway_server(tmp_path / "state") as server:
        dsn = server.dsn()
        server.stop()
        started = time.monotonic()
        with pytest.raises(DatabaseUnavailable, match="unreachable for .* last error: .*refused"):
            retry_transient(lambda: psycopg.connect(dsn, connect_timeout=2).close(), "reference data",
                            Backoff(base=0.5, cap=1, budget=4))
        assert time.monotonic() - started < 10

"""cchc.marts_lock: one writer of the marts at a time, and a dead writer never blocks the
next (issue #13). Two "runs" are two threads claiming the lease on a real warehouse."""
from __future__ import annotations

import os
import subprocess
import threading
import time
from datetime import timedelta

import psycopg
import pytest

from cchc.marts_lock import MartsBusy, claim, current, release


@pytest.fixture
def lease_dsn(fresh_warehouse_dsn):
    return fresh_warehouse_dsn


def test_a_second_build_waits_until_the_first_releases(lease_dsn):
    claim(lease_dsn, "transform__dbt/run-1", pid=os.getpid())
    got = {}

    def second():
        started = time.monotonic()
        claim(lease_dsn, "publish__annual_report/run-2", poll=0.05, log=lambda _m: None)
        got["waited"] = time.monotonic() - started

    waiting = threading.Thread(target=second)
    waiting.start()
    time.sleep(0.6)
    assert current(lease_dsn).holder == "transform__dbt/run-1"  # still the first's
    assert release(lease_dsn, "transform__dbt/run-1")
    waiting.join(timeout=10)

    assert got["waited"] >= 0.6
    assert current(lease_dsn).holder == "publish__annual_report/run-2"


def test_claiming_again_for_the_same_run_is_a_no_op(lease_dsn):
    claim(lease_dsn, "run-1", pid=os.getpid())
    claim(lease_dsn, "run-1", wait=timedelta(0))  # a retried task: no wait, still the holder
    assert current(lease_dsn).holder == "run-1"


def test_the_lease_of_a_killed_interactive_run_is_taken_over_at_once(lease_dsn):
    gone = subprocess.Popen(["true"])
    gone.wait()  # a `cchc run` whose process group was SIGKILLed
    claim(lease_dsn, "cchc__annual_pipeline/killed", pid=gone.pid)
    said = []

    claim(lease_dsn, "cchc__annual_pipeline/rerun", wait=timedelta(0), log=said.append)

    assert current(lease_dsn).holder == "cchc__annual_pipeline/rerun"
    assert said == [said[0]] and "cchc__annual_pipeline/killed" in said[0] and "taken over" in said[0]


def test_a_lease_older_than_any_build_is_taken_over(lease_dsn):
    claim(lease_dsn, "scheduled/died")  # a scheduled run: no process to watch
    with psycopg.connect(lease_dsn) as conn:
        conn.execute("update ops.marts_lease set claimed_at = now() - interval '3 hours'")

    claim(lease_dsn, "scheduled/next", wait=timedelta(0), log=lambda _m: None)

    assert current(lease_dsn).holder == "scheduled/next"


def test_waiting_too_long_fails_naming_the_holder(lease_dsn):
    claim(lease_dsn, "transform__dbt/busy", pid=os.getpid())
    with pytest.raises(MartsBusy, match="being built by transform__dbt/busy since"):
        claim(lease_dsn, "publish__annual_report/late", wait=timedelta(seconds=0.3), poll=0.05,
              log=lambda _m: None)
    assert not release(lease_dsn, "publish__annual_report/late")  # never held it
    assert release(lease_dsn, "transform__dbt/busy")
    assert current(lease_dsn) is None

"""Process faults during ingest (issue #13): the ingest SIGKILLed in the middle of a COPY,
and the same feed interval ingested twice at the same time. Each ends, after recovery,
in the warehouse a clean ingest of the same deliveries gives (tests/faults/warehouse_state.py).
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time

import psycopg
import pytest

from ingest.pipeline import ingest_all, ingest_feed, load_reference
from ingest.registry import load_registry
from tests.faults.warehouse_state import assert_same_warehouse, snapshot
from tests.paths import SAMPLE_DELIVERIES

FILE_KINDS = ("csv", "xlsx")


@pytest.fixture(scope="module")
def deliveries_dir(tmp_path_factory):
    target = tmp_path_factory.mktemp("data") / "deliveries"
    shutil.copytree(SAMPLE_DELIVERIES, target)
    return target


@pytest.fixture(scope="module")
def clean(server_dsn, deliveries_dir):
    """The raw layer after one undisturbed ingest of every file delivery."""
    from cchc import warehouse
    from tests.conftest import _fresh_database

    name, dsn = _fresh_database(server_dsn, "clean_ingest")
    ingest_all(dsn, deliveries_dir, kinds=FILE_KINDS)
    yield snapshot(dsn)
    warehouse.drop_database(server_dsn, name)


def _wait_for(what: str, condition, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def _one(dsn: str, sql: str):
    with psycopg.connect(dsn) as conn:
        return conn.execute(sql).fetchone()[0]


def test_ingest_killed_in_the_middle_of_a_copy_then_rerun(fresh_warehouse_dsn, deliveries_dir, clean):
    dsn = fresh_warehouse_dsn
    script = textwrap.dedent(f"""
        from ingest.pipeline import ingest_all
        ingest_all({dsn!r}, {str(deliveries_dir)!r}, kinds={FILE_KINDS!r})
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], env=os.environ.copy())
    try:
        _wait_for("three deliveries loaded",
                  lambda: _one(dsn, "select count(*) from raw.deliveries where status = 'loaded'"
                                    " and feed_unit_code <> 'REFERENCE'") >= 3)
        # Holding the table makes the next delivery's COPY wait inside its transaction:
        # the kill lands in the middle of a COPY, every time.
        with psycopg.connect(dsn) as holder:
            holder.execute("lock table raw.case_snapshots in access exclusive mode")
            _wait_for("a COPY waiting on the lock", lambda: _one(
                dsn, "select count(*) from pg_stat_activity where datname = current_database()"
                     " and query ilike 'copy %' and wait_event_type = 'Lock'") == 1)
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    _wait_for("the killed session to end", lambda: _one(
        dsn, "select count(*) from pg_stat_activity where datname = current_database()"
             " and query ilike 'copy %'") == 0)

    ingest_all(dsn, deliveries_dir, kinds=FILE_KINDS)  # the rerun

    assert_same_warehouse(dsn, clean)


def test_the_same_interval_ingested_twice_at_once_loads_each_delivery_once(
        fresh_warehouse_dsn, deliveries_dir, clean):
    dsn = fresh_warehouse_dsn
    load_reference(dsn, deliveries_dir)
    feeds = [f.unit_code for f in load_registry(deliveries_dir).feeds if f.kind in FILE_KINDS]
    errors = []

    def ingest_every_feed():
        try:
            for unit in feeds:
                ingest_feed(dsn, deliveries_dir, unit)
        except Exception as error:  # surfaced below, with the other thread's
            errors.append(error)

    runs = [threading.Thread(target=ingest_every_feed) for _ in range(2)]
    for run in runs:
        run.start()
    for run in runs:
        run.join(timeout=300)

    assert errors == []
    assert_same_warehouse(dsn, clean)

"""`cchc report` outside Airflow holds the marts lease while it reads (issue #13): a build
that holds the marts makes it wait, and the edition records the build it read. Two
processes: this test holding the lease as a DAG build would, and `cchc report`."""
from __future__ import annotations

import os
import subprocess
import sys

import psycopg
import pytest
from reports_marts_fixture import record_passing_run

from cchc.marts_lock import claim, current, release

BUILD = "transform__dbt/scheduled__2026-01-15T06:00:00+00:00"


@pytest.fixture(scope="module")
def report_dsn(province_dsn):
    with psycopg.connect(province_dsn) as conn:
        record_passing_run(conn)
    return province_dsn


def _total_score(dsn: str) -> float:
    with psycopg.connect(dsn) as conn:
        return conn.execute("select total_score from marts.mart_par_index"
                            " where ranking_unit_code = 'STP' and period_year = 2025").fetchone()[0]


def test_the_report_waits_for_the_build_holding_the_marts_and_records_it(report_dsn, tmp_path):
    claim(report_dsn, BUILD, pid=os.getpid())
    with subprocess.Popen(
            [sys.executable, "-m", "cchc_app.cli", "report", "--year", "2025", "--out", str(tmp_path)],
            env={**os.environ, "WAREHOUSE_DSN": report_dsn}, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True) as report:
        said = []
        for line in report.stdout:
            said.append(line)
            if f"waiting for {BUILD} to finish building the marts" in line:
                break
        else:
            pytest.fail("cchc report did not wait for the build:\n" + "".join(said))
        with psycopg.connect(report_dsn) as conn:
            assert conn.execute("select count(*) from publish.editions").fetchone() == (0,)
            # The build finishes its work on the marts, then gives them back.
            conn.execute("update marts.mart_par_index set total_score = total_score + 1"
                         " where ranking_unit_code = 'STP' and period_year = 2025")
        release(report_dsn, BUILD)
        rest, _ = report.communicate(timeout=600)

    assert report.returncode == 0, "".join(said) + rest
    with psycopg.connect(report_dsn) as conn:
        marts_build, published = conn.execute(
            "select e.marts_build, f.value from publish.editions e join publish.edition_figures f"
            " using (edition_id) where f.figure_key = 'index|STP||total_score'").fetchone()
    assert marts_build == BUILD  # the build it read
    assert published == _total_score(report_dsn)  # after the build's change, not before
    assert current(report_dsn) is None  # the report gave the lease back

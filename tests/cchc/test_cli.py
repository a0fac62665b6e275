"""The `cchc` command line: what a user sees when the gate refuses, and the db commands."""
from __future__ import annotations

import os
import subprocess
import sys


def _cchc(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cchc_app.cli", *args], env={**os.environ, **env},
                          capture_output=True, text=True, timeout=300, check=False)


def test_report_is_refused_while_the_gate_is_closed(warehouse_dsn, tmp_path):
    # A warehouse with no quality run for the year: no report may come out of it.
    result = _cchc("report", "--year", "2025", "--out", str(tmp_path),
                   env={"WAREHOUSE_DSN": warehouse_dsn})

    assert result.returncode == 2
    assert "2025" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_db_dsn_prints_the_configured_warehouse(warehouse_dsn):
    result = _cchc("db", "dsn", env={"WAREHOUSE_DSN": warehouse_dsn})

    assert result.returncode == 0
    assert result.stdout.strip() == warehouse_dsn

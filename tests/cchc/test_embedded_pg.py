"""The embedded server: starts from nothing, is idempotent, stops cleanly, says what is missing."""
from __future__ import annotations

import psycopg
import pytest

from cchc import embedded_pg


@pytest.fixture
def own_state_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("CCHC_STATE_DIR", str(tmp_path / "state"))
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
    with pytest.raises(embedded_pg.EmbeddedPostgresError, match="CCHC_PG_BIN=.*initdb and pg_ctl"):
        embedded_pg.find_bindir()

"""Roles of marts.md: inspectors read `marts` only, never raw, staging or quarantine."""
from __future__ import annotations

import uuid

import psycopg
import pytest

from cchc import warehouse


@pytest.fixture(scope="module")
def inspector_dsn(warehouse_dsn):
    login = f"inspector_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(warehouse_dsn, autocommit=True) as conn:
        conn.execute(f"create role {login} login in role inspector")
        conn.execute("create table marts.published_example (unit_code text)")
        conn.execute("insert into marts.published_example values ('H99.S01')")
    params = psycopg.conninfo.conninfo_to_dict(warehouse_dsn)
    params["user"] = login
    yield psycopg.conninfo.make_conninfo(**params)
    with psycopg.connect(warehouse_dsn, autocommit=True) as conn:
        conn.execute("drop table marts.published_example")
        conn.execute(f"drop owned by {login}")
        conn.execute(f"drop role {login}")


def test_bootstrap_is_idempotent(warehouse_dsn):
    warehouse.bootstrap(warehouse_dsn)
    warehouse.bootstrap(warehouse_dsn)
    with psycopg.connect(warehouse_dsn) as conn:
        schemas = {r[0] for r in conn.execute("select nspname from pg_namespace")}
    assert {"raw", "staging", "intermediate", "marts", "quality", "publish"} <= schemas


def test_inspector_reads_marts(inspector_dsn):
    with psycopg.connect(inspector_dsn) as conn:
        assert conn.execute("select unit_code from marts.published_example").fetchall() == [("H99.S01",)]


@pytest.mark.parametrize("table", ["raw.case_snapshots", "raw.quarantine", "raw.deliveries"])
def test_inspector_cannot_read_raw(inspector_dsn, table):
    with psycopg.connect(inspector_dsn) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute(f"select * from {table} limit 1")

"""Least privilege (marts.md §Roles, cchc/sql/grants.sql): each pipeline login may do its
stage's work and is refused the rest; people's logins come from `cchc user add`."""
from __future__ import annotations

import contextlib
import io
import uuid

import psycopg
import pytest

from cchc import warehouse
from cchc.settings import STAGE_ROLES
from cchc_app import cli
from cchc_app.bootstrap import bootstrap

#: What dbt builds, one object per schema the inspector must not read.
_DBT_OBJECTS = {
    "seeds": "create table seeds.example_seed (x int)",
    "staging": "create view staging.example_view as select 1 as x",
    "intermediate": "create table intermediate.example_table (x int)",
    "marts": "create table marts.published_example (unit_code text)",
}


def _as(dsn: str, role: str) -> str:
    return warehouse.login_dsn(dsn, role)


@pytest.fixture(scope="module")
def built(warehouse_dsn):
    """dbt's objects as the transformer leaves them; the CLI administers this database."""
    with psycopg.connect(_as(warehouse_dsn, "transformer"), autocommit=True) as conn:
        for ddl in _DBT_OBJECTS.values():
            conn.execute(ddl)
        conn.execute("insert into marts.published_example values ('H99.S01')")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("WAREHOUSE_DSN", warehouse_dsn)
        yield warehouse_dsn


@pytest.fixture(scope="module")
def inspector(built):
    """An inspector login created with `cchc user add`, its password read from the output."""
    name = f"inspector_{uuid.uuid4().hex[:8]}"
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert cli.main(["user", "add", name, "--role", "inspector"]) == 0
    password = out.getvalue().strip().splitlines()[-1]
    params = psycopg.conninfo.conninfo_to_dict(built)
    params.update(user=name, password=password)
    yield name, psycopg.conninfo.make_conninfo(**params)
    cli.main(["user", "remove", name])


def test_bootstrap_is_idempotent(warehouse_dsn):
    bootstrap(warehouse_dsn)
    bootstrap(warehouse_dsn)
    with psycopg.connect(warehouse_dsn) as conn:
        schemas = {r[0] for r in conn.execute("select nspname from pg_namespace")}
    assert {"raw", "staging", "intermediate", "marts", "quality", "publish"} <= schemas


def test_pipeline_logins_are_not_superusers(warehouse_dsn):
    for role in set(STAGE_ROLES.values()):
        with psycopg.connect(_as(warehouse_dsn, role)) as conn:
            user, superuser = conn.execute(
                "select current_user, rolsuper from pg_roles where rolname = current_user").fetchone()
        assert (user, superuser) == (role, False)


def _refused(dsn: str, statement: str) -> None:
    with psycopg.connect(dsn) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute(statement)


def _allowed(dsn: str, statement: str) -> None:
    with psycopg.connect(dsn) as conn:
        conn.execute(statement)
        conn.rollback()  # proves the privilege; leaves no row behind


_WRITE_RAW = "insert into raw.ref_calendar (load_id, date, kind) values (1, '2025-01-01', 'HOLIDAY')"


def test_loader_writes_raw_and_reads_nothing_else(built):
    loader = _as(built, "loader")
    _allowed(loader, "select count(*) from raw.case_snapshots")
    _allowed(loader, "insert into raw.deliveries (feed_unit_code, source_kind, delivery,"
                     " record_kind, delivery_day, status)"
                     " values ('X', 'csv', 'x.csv', 'cases', '2025-01-01', 'loading')")
    _refused(loader, "select * from marts.published_example")
    _refused(loader, "select * from staging.example_view")
    _refused(loader, "create table marts.sneaky (x int)")


def test_transformer_reads_raw_and_cannot_write_it(built):
    transformer = _as(built, "transformer")
    _allowed(transformer, "select count(*) from raw.case_snapshots")
    _refused(transformer, _WRITE_RAW)
    _refused(transformer, "delete from raw.deliveries")
    _refused(transformer, "insert into quality.waivers (\"check\", report_year, waived_by, reason,"
                          " valid_until) values ('c', 2025, 'x', 'y', '2026-01-01')")


def test_reporter_reads_marts_writes_publish_and_nothing_in_raw(built):
    reporter = _as(built, "reporter")
    _allowed(reporter, "select * from marts.published_example")
    _allowed(reporter, "select count(*) from quality.check_results")
    _refused(reporter, _WRITE_RAW)
    _refused(reporter, "select * from raw.case_snapshots")
    _refused(reporter, "select * from staging.example_view")
    _refused(reporter, "insert into marts.published_example values ('X')")


def test_checker_reads_every_layer_and_writes_only_quality(built):
    checker = _as(built, "checker")
    for statement in ("select count(*) from raw.case_snapshots", "select * from staging.example_view",
                      "select * from intermediate.example_table", "select * from seeds.example_seed",
                      "select * from marts.published_example"):
        _allowed(checker, statement)
    _refused(checker, _WRITE_RAW)
    _refused(checker, "insert into marts.published_example values ('X')")


def test_inspector_login_reads_marts(inspector):
    with psycopg.connect(inspector[1]) as conn:
        assert conn.execute("select unit_code from marts.published_example").fetchall() == [("H99.S01",)]


@pytest.mark.parametrize("table", [
    "raw.case_snapshots", "raw.quarantine", "raw.deliveries", "seeds.example_seed",
    "staging.example_view", "intermediate.example_table", "quality.check_results",
    "quality.waivers", "publish.editions",
])
def test_inspector_login_cannot_read_outside_marts(inspector, table):
    _refused(inspector[1], f"select * from {table} limit 1")


def test_user_list_and_remove(inspector, capsys):
    name, _dsn = inspector
    assert cli.main(["user", "list"]) == 0
    assert f"{name}\tinspector" in capsys.readouterr().out.splitlines()
    assert cli.main(["user", "remove", "loader"]) == 2, "the pipeline's logins are not people's"
    assert "reserved" in capsys.readouterr().err

"""Least privilege (marts.md §Roles, cchc/sql/grants.sql): each pipeline login may do its
stage's work and is refused the rest; people's logins come from `cchc user add`."""
from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
import uuid

import psycopg
import pytest

from cchc import credentials, warehouse
from cchc.settings import AIRFLOW_LOGIN, STAGE_ROLES
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
    _allowed(reporter, "select count(*) from publish.editions")
    _refused(reporter, "select count(*) from quality.check_results")
    _refused(reporter, "select count(*) from quality.waivers")
    _refused(reporter, _WRITE_RAW)
    _refused(reporter, "select * from raw.case_snapshots")
    _refused(reporter, "select * from staging.example_view")
    _refused(reporter, "insert into marts.published_example values ('X')")
    # It holds the marts lease as a reader, and cannot record itself as their builder.
    _allowed(reporter, "update ops.marts_lease set holder = 'cchc report', claimed_at = now()")
    _refused(reporter, "update ops.marts_lease set built_by = 'cchc report'")


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


def test_each_login_has_its_own_random_password(warehouse_dsn):
    """#11: no login's password is derived from another secret; each is its own 0600 file."""
    admin_password = psycopg.conninfo.conninfo_to_dict(warehouse_dsn).get("password")
    passwords = {role: credentials.login_password(role) for role in set(STAGE_ROLES.values())}
    assert len(set(passwords.values())) == len(passwords)
    assert admin_password not in passwords.values()
    for role, password in passwords.items():
        path = credentials.secrets_dir() / f"{role}.password"
        assert path.read_text(encoding="utf-8").strip() == password
        assert path.stat().st_mode & 0o777 == 0o600


def test_a_stage_connects_without_any_administrator_secret(warehouse_dsn, tmp_path):
    """What Airflow's task processes get (airflow_config.airflow_env) holds no administrator
    password, and a stage connects with only its own login's file beside it."""
    from cchc_app import airflow_config

    admin_password = psycopg.conninfo.conninfo_to_dict(warehouse_dsn)["password"]
    overlay = airflow_config.airflow_env(warehouse_dsn)
    assert [name for name, value in overlay.items() if admin_password in value] == []
    own_secrets = tmp_path / "secrets"
    own_secrets.mkdir(mode=0o700)
    (own_secrets / "loader.password").write_text(credentials.login_password("loader"))
    env = {**{k: v for k, v in os.environ.items() if admin_password not in v},
           **overlay, "CCHC_SECRETS_DIR": str(own_secrets)}
    probe = ("import psycopg; from cchc.settings import warehouse_dsn;"
             "print(psycopg.connect(warehouse_dsn('ingest')).execute('select current_user')"
             ".fetchone()[0])")
    done = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True,
                          text=True, check=False)
    assert (done.returncode, done.stdout.strip()) == (0, "loader"), done.stderr
    assert sorted(p.name for p in own_secrets.iterdir()) == ["loader.password"]


def test_bootstrap_rotates_a_password_set_by_an_older_scheme(warehouse_dsn):
    """A cluster whose logins had derived passwords needs no reinstall: the bootstrap sets
    each role to its own file's password."""
    with psycopg.connect(warehouse_dsn, autocommit=True) as conn:
        conn.execute("alter role checker password 'derived-by-an-older-version'")
    old = psycopg.conninfo.conninfo_to_dict(_as(warehouse_dsn, "checker"))
    old["password"] = "derived-by-an-older-version"
    psycopg.connect(psycopg.conninfo.make_conninfo(**old)).close()

    bootstrap(warehouse_dsn)

    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(psycopg.conninfo.make_conninfo(**old)).close()
    with psycopg.connect(_as(warehouse_dsn, "checker")) as conn:
        assert conn.execute("select current_user").fetchone()[0] == "checker"


def test_a_database_for_a_login_passes_to_it_with_what_it_holds(server_dsn):
    """Airflow's metadata database: owned by the `airflow` login, which may then change
    every table in it (`airflow db migrate`), also those an administrator created before."""
    name = f"t_owned_{uuid.uuid4().hex[:8]}"
    admin = warehouse.create_database(server_dsn, name)
    try:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute("create table public.alembic_version (version_num text)")
            conn.execute("create table public.job (id serial primary key)")
            conn.execute("create view public.job_ids as select id from public.job")
        warehouse.create_database(server_dsn, name, owner=AIRFLOW_LOGIN)
        as_airflow = warehouse.login_dsn(admin, AIRFLOW_LOGIN)
        with psycopg.connect(as_airflow, autocommit=True) as conn:
            conn.execute("alter table public.job add column state text")
            conn.execute("drop view public.job_ids")
            conn.execute("create table public.new_table (x int)")
            super_, = conn.execute(
                "select rolsuper from pg_roles where rolname = current_user").fetchone()
        assert super_ is False
        with pytest.raises(psycopg.OperationalError, match="permission denied"):
            psycopg.connect(warehouse.login_dsn(admin, "loader")).close()
    finally:
        warehouse.drop_database(server_dsn, name)

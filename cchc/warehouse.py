"""The warehouse database: connections, logins and the idempotent bootstrap of its layout."""
from __future__ import annotations

import importlib
from pathlib import Path

import psycopg
from psycopg import sql

from cchc.credentials import role_password
from cchc.settings import STAGE_ROLES

_BOOTSTRAP_SQL = Path(__file__).parent / "sql" / "bootstrap.sql"
_GRANTS_SQL = Path(__file__).parent / "sql" / "grants.sql"
#: application_name of the bootstrap's connections: the only administrator ones of a run.
BOOTSTRAP_APP = "cchc bootstrap"

#: Each stage owns the DDL of its schema; bootstrap applies them in dependency order.
_STAGE_SCHEMAS = ("ingest.land", "expectations.store", "reports.editions", "cchc.marts_lock")


def connect(dsn: str, **kwargs) -> psycopg.Connection:
    """A psycopg 3 connection to the warehouse."""
    return psycopg.connect(dsn, **kwargs)


def bootstrap(dsn: str) -> None:
    """Create schemas, roles and logins, every stage's own tables, then grants; idempotent.

    `dsn` is an administrator's (a superuser, or a role with CREATEROLE owning the
    database): the only connection of a run that is not a stage's own login.
    """
    # Named, so that pg_stat_activity tells the administrator's connections of a run apart.
    with connect(dsn, application_name=BOOTSTRAP_APP) as conn:
        # Roles are cluster-wide: concurrent bootstraps of two databases may race on them.
        conn.execute("select pg_advisory_xact_lock(hashtext('cchc.bootstrap'))")
        conn.execute(_BOOTSTRAP_SQL.read_text(encoding="utf-8"))
        admin_password = psycopg.conninfo.conninfo_to_dict(dsn).get("password")
        for role in dict.fromkeys(STAGE_ROLES.values()):
            conn.execute(sql.SQL("alter role {} login nosuperuser password {}").format(
                sql.Identifier(role), sql.Literal(role_password(role, admin_password))))
        for module_name in _STAGE_SCHEMAS:
            importlib.import_module(module_name).ensure_schema(conn)
        conn.execute(_GRANTS_SQL.read_text(encoding="utf-8"))


def login_dsn(admin_dsn: str, role: str) -> str:
    """The same server and database as the administrator's `admin_dsn`, as pipeline login
    `role` (returned unchanged when it already is that login's)."""
    params = psycopg.conninfo.conninfo_to_dict(admin_dsn)
    if params.get("user") == role:
        return admin_dsn
    params["password"] = role_password(role, params.get("password"))
    params["user"] = role
    return psycopg.conninfo.make_conninfo(**params)


def create_database(server_dsn: str, dbname: str) -> str:
    """Create database `dbname` on the server of `server_dsn` (if missing); return its DSN.

    An administrator's step of the bootstrap (e.g. Airflow's metadata database), named so.
    """
    with connect(server_dsn, autocommit=True, application_name=BOOTSTRAP_APP) as conn:
        if not conn.execute("select 1 from pg_database where datname = %s", (dbname,)).fetchone():
            conn.execute(f'create database "{dbname}"')
    return with_dbname(server_dsn, dbname)


def drop_database(server_dsn: str, dbname: str) -> None:
    """Drop database `dbname`, disconnecting whoever still uses it."""
    with connect(server_dsn, autocommit=True) as conn:
        conn.execute(f'drop database if exists "{dbname}" with (force)')


def with_dbname(dsn: str, dbname: str) -> str:
    """The same server and user as `dsn`, another database."""
    params = psycopg.conninfo.conninfo_to_dict(dsn)
    params["dbname"] = dbname
    return psycopg.conninfo.make_conninfo(**params)


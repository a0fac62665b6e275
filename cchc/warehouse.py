"""The warehouse database: connection strings, logins, databases on a server, and the
layout steps of the bootstrap that belong to no stage (schemas and roles, grants).

The one place that reads and writes DSNs: everything else goes through these helpers, on
psycopg's `conninfo` (key/value and URL spellings alike, query parameters kept).
"""
from __future__ import annotations

from pathlib import Path

import psycopg
import sqlalchemy as sa
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from cchc.credentials import role_password

_BOOTSTRAP_SQL = Path(__file__).parent / "sql" / "bootstrap.sql"
_GRANTS_SQL = Path(__file__).parent / "sql" / "grants.sql"
#: application_name of the bootstrap's connections: the only administrator ones of a run.
BOOTSTRAP_APP = "cchc bootstrap"


def connect(dsn: str, **kwargs) -> psycopg.Connection:
    """A psycopg 3 connection to the warehouse."""
    return psycopg.connect(dsn, **kwargs)


def create_layout(conn: psycopg.Connection, admin_dsn: str, roles) -> None:
    """Schemas, roles and the pipeline `roles`' logins (cchc/sql/bootstrap.sql); the first
    step of the bootstrap, as the administrator of `admin_dsn`."""
    # Roles are cluster-wide: concurrent bootstraps of two databases may race on them.
    conn.execute("select pg_advisory_xact_lock(hashtext('cchc.bootstrap'))")
    conn.execute(_BOOTSTRAP_SQL.read_text(encoding="utf-8"))
    admin_password = conninfo_to_dict(admin_dsn).get("password")
    for role in dict.fromkeys(roles):
        conn.execute(sql.SQL("alter role {} login nosuperuser password {}").format(
            sql.Identifier(role), sql.Literal(role_password(role, admin_password))))


def grant(conn: psycopg.Connection) -> None:
    """Every role's privileges (cchc/sql/grants.sql); the bootstrap's last step, once each
    stage has created its tables."""
    conn.execute(_GRANTS_SQL.read_text(encoding="utf-8"))


def login_dsn(admin_dsn: str, role: str) -> str:
    """The same server and database as the administrator's `admin_dsn`, as pipeline login
    `role` (returned unchanged when it already is that login's)."""
    params = conninfo_to_dict(admin_dsn)
    if params.get("user") == role:
        return admin_dsn
    params["password"] = role_password(role, params.get("password"))
    params["user"] = role
    return make_conninfo(**params)


def with_dbname(dsn: str, dbname: str) -> str:
    """The same server and user as `dsn`, another database."""
    params = conninfo_to_dict(dsn)
    params["dbname"] = dbname
    return make_conninfo(**params)


def server_of(dsn: str) -> str:
    """host:port/dbname of a DSN, without its user or password (for messages)."""
    p = conninfo_to_dict(dsn)
    return f"{p.get('host') or 'localhost'}:{p.get('port') or 5432}/{p.get('dbname')}"


def sqlalchemy_url(dsn: str) -> str:
    """The SQLAlchemy URL (psycopg 3 driver) of a libpq DSN or URL (GX's data source,
    Airflow's metadata database); parameters without a URL part stay query parameters."""
    params = psycopg.conninfo.conninfo_to_dict(dsn)
    # A socket directory (host=/run/postgresql) is no URL host: it stays a query parameter.
    host = None if str(params.get("host", "")).startswith("/") else params.pop("host", None)
    port = params.pop("port", None)
    url = sa.engine.URL.create(
        "postgresql+psycopg",
        username=params.pop("user", None),
        password=params.pop("password", None),
        host=host,
        port=int(port) if port else None,
        database=params.pop("dbname", None),
        query={key: str(value) for key, value in params.items()},
    )
    return url.render_as_string(hide_password=False)


def server_conninfo(dsn: str) -> str:
    """`dsn` without its user and password: where the warehouse is, nothing more."""
    params = psycopg.conninfo.conninfo_to_dict(dsn)
    for secret in ("user", "password", "passfile"):
        params.pop(secret, None)
    return psycopg.conninfo.make_conninfo(**params)


def create_database(server_dsn: str, dbname: str) -> str:
    """Create database `dbname` on the server of `server_dsn` (if missing); return its DSN.

    An administrator's step (the warehouse itself, Airflow's metadata database, tests'
    throwaway databases), named so in pg_stat_activity.
    """
    with connect(server_dsn, autocommit=True, application_name=BOOTSTRAP_APP) as conn:
        if not conn.execute("select 1 from pg_database where datname = %s", (dbname,)).fetchone():
            conn.execute(sql.SQL("create database {}").format(sql.Identifier(dbname)))
    return with_dbname(server_dsn, dbname)


def drop_database(server_dsn: str, dbname: str) -> None:
    """Drop database `dbname`, disconnecting whoever still uses it."""
    with connect(server_dsn, autocommit=True) as conn:
        conn.execute(sql.SQL("drop database if exists {} with (force)").format(
            sql.Identifier(dbname)))

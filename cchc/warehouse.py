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

from cchc.credentials import login_password

_BOOTSTRAP_SQL = Path(__file__).parent / "sql" / "bootstrap.sql"
_GRANTS_SQL = Path(__file__).parent / "sql" / "grants.sql"
#: application_name of the bootstrap's connections: the only administrator ones of a run.
BOOTSTRAP_APP = "cchc bootstrap"


def connect(dsn: str, **kwargs) -> psycopg.Connection:
    """A psycopg 3 connection to the warehouse."""
    return psycopg.connect(dsn, **kwargs)


def create_layout(conn: psycopg.Connection, roles) -> None:
    """Schemas, roles and the pipeline `roles`' logins (cchc/sql/bootstrap.sql); the first
    step of the bootstrap, as the administrator."""
    # Roles are cluster-wide: concurrent bootstraps of two databases may race on them.
    conn.execute("select pg_advisory_xact_lock(hashtext('cchc.bootstrap'))")
    conn.execute(_BOOTSTRAP_SQL.read_text(encoding="utf-8"))
    for role in dict.fromkeys(roles):
        _set_login(conn, role)


def grant(conn: psycopg.Connection) -> None:
    """Every role's privileges (cchc/sql/grants.sql); the bootstrap's last step, once each
    stage has created its tables."""
    conn.execute(_GRANTS_SQL.read_text(encoding="utf-8"))


def _set_login(conn: psycopg.Connection, role: str) -> None:
    """Role `role` logs in, as no superuser, with its own password (cchc.credentials):
    set on every bootstrap, which rotates a password an older scheme had derived."""
    if not conn.execute("select 1 from pg_roles where rolname = %s", (role,)).fetchone():
        conn.execute(sql.SQL("create role {}").format(sql.Identifier(role)))
    conn.execute(sql.SQL("alter role {} login nosuperuser nocreaterole nocreatedb password {}")
                 .format(sql.Identifier(role), sql.Literal(login_password(role))))


def login_dsn(dsn: str, role: str) -> str:
    """The same server and database as `dsn` (an administrator's, or only an address), as
    pipeline login `role` with its own password."""
    params = conninfo_to_dict(dsn)
    params.pop("passfile", None)
    params["user"] = role
    params["password"] = login_password(role)
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


def create_database(server_dsn: str, dbname: str, owner: str | None = None) -> str:
    """Create database `dbname` on the server of `server_dsn` (if missing); return its DSN.

    An administrator's step (the warehouse itself, Airflow's metadata database, tests'
    throwaway databases), named so in pg_stat_activity.
    With `owner`, that login (created with its own password if missing) owns the database
    and everything in its public schema, and only it may connect: a database an older
    version created as the administrator passes to it.
    """
    with connect(server_dsn, autocommit=True, application_name=BOOTSTRAP_APP) as conn:
        if owner:
            conn.execute("select pg_advisory_lock(hashtext('cchc.bootstrap'))")
            _set_login(conn, owner)
            conn.execute("select pg_advisory_unlock(hashtext('cchc.bootstrap'))")
        if not conn.execute("select 1 from pg_database where datname = %s", (dbname,)).fetchone():
            conn.execute(sql.SQL("create database {}").format(sql.Identifier(dbname)))
        if owner:
            conn.execute(sql.SQL("alter database {} owner to {}").format(
                sql.Identifier(dbname), sql.Identifier(owner)))
            conn.execute(sql.SQL("revoke connect, temporary on database {} from public").format(
                sql.Identifier(dbname)))
    dsn = with_dbname(server_dsn, dbname)
    if owner:
        with connect(dsn, autocommit=True, application_name=BOOTSTRAP_APP) as conn:
            conn.execute(_TO_OWNER.format(owner=sql.Literal(owner).as_string(conn)))
    return dsn


#: Hands every relation and enum type of schema public to {owner}; views first and
#: sequences last (a table's own sequence follows its table).
_TO_OWNER = """
do $$
declare obj record;
begin
    for obj in
        select case c.relkind when 'v' then 'view' when 'm' then 'materialized view'
                              when 'S' then 'sequence' else 'table' end as kind,
               format('%I.%I', n.nspname, c.relname) as name
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind in ('r', 'p', 'v', 'm', 'S')
          and pg_get_userbyid(c.relowner) <> {owner}
        order by c.relkind desc
    loop
        if pg_get_userbyid((select relowner from pg_class where oid = obj.name::regclass))
                <> {owner} then
            execute format('alter %s %s owner to %I', obj.kind, obj.name, {owner});
        end if;
    end loop;
    for obj in
        select format('%I.%I', n.nspname, t.typname) as name
        from pg_type t join pg_namespace n on n.oid = t.typnamespace
        where n.nspname = 'public' and t.typtype = 'e' and pg_get_userbyid(t.typowner) <> {owner}
    loop
        execute format('alter type %s owner to %I', obj.name, {owner});
    end loop;
end $$;
"""


def drop_database(server_dsn: str, dbname: str) -> None:
    """Drop database `dbname`, disconnecting whoever still uses it."""
    with connect(server_dsn, autocommit=True) as conn:
        conn.execute(sql.SQL("drop database if exists {} with (force)").format(
            sql.Identifier(dbname)))

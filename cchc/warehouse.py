"""The warehouse database: connections and the idempotent bootstrap of its layout."""
from __future__ import annotations

import importlib
from pathlib import Path

import psycopg

_BOOTSTRAP_SQL = Path(__file__).parent / "sql" / "bootstrap.sql"

#: Each stage owns the DDL of its schema; bootstrap applies them in dependency order.
_STAGE_SCHEMAS = ("ingest.land", "expectations.store", "reports.editions")


def connect(dsn: str, **kwargs) -> psycopg.Connection:
    """A psycopg 3 connection to the warehouse."""
    return psycopg.connect(dsn, **kwargs)


def bootstrap(dsn: str) -> None:
    """Create schemas, roles, grants and every stage's own tables; safe to run again."""
    with connect(dsn) as conn:
        # Roles are cluster-wide: concurrent bootstraps of two databases may race on them.
        conn.execute("select pg_advisory_xact_lock(hashtext('cchc.bootstrap'))")
        conn.execute(_BOOTSTRAP_SQL.read_text(encoding="utf-8"))
        for module_name in _STAGE_SCHEMAS:
            importlib.import_module(module_name).ensure_schema(conn)


def create_database(server_dsn: str, dbname: str) -> str:
    """Create database `dbname` on the server of `server_dsn` (if missing); return its DSN."""
    with connect(server_dsn, autocommit=True) as conn:
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


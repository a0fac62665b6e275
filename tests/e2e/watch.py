"""What a pipeline run leaves behind, seen from outside: the logins it connected as, and
where a secret or a citizen's personal data ended up."""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Self

import psycopg
from psycopg import sql


class ConnectionSampler:
    """Polls pg_stat_activity while the run goes, recording (database, login, superuser,
    application) of every client connection to one of `dbnames` but its own."""

    def __init__(self, admin_dsn: str, *dbnames: str, interval: float = 0.1) -> None:
        self._dsn, self._dbnames, self._interval = admin_dsn, list(dbnames), interval
        self.seen: set[tuple[str, str, bool, str]] = set()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def _poll(self) -> None:
        with psycopg.connect(self._dsn, autocommit=True) as conn:
            while not self._stop.is_set():
                for row in conn.execute(
                        "select a.datname, a.usename, r.rolsuper, a.application_name"
                        " from pg_stat_activity a join pg_roles r on r.oid = a.usesysid"
                        " where a.datname = any(%s) and a.backend_type = 'client backend'"
                        " and a.pid <> pg_backend_pid()", (self._dbnames,)):
                    self.seen.add(row)
                self._stop.wait(self._interval)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=10)


def files_containing(root: Path, needle: str) -> list[Path]:
    """Every file under `root` whose bytes contain `needle`."""
    data = needle.encode()
    return [p for p in root.rglob("*") if p.is_file() and not p.is_symlink()
            and data in p.read_bytes()]


def tables_containing(dsn: str, needle: str) -> list[str]:
    """Every table of database `dsn` (any schema but the catalogs) with a row whose text
    contains `needle`."""
    found = []
    with psycopg.connect(dsn) as conn:
        tables = conn.execute(
            "select format('%I.%I', table_schema, table_name) from information_schema.tables"
            " where table_schema not in ('pg_catalog', 'information_schema')"
            " and table_type = 'BASE TABLE'").fetchall()
        for (table,) in tables:
            if conn.execute(f"select exists (select 1 from {table} t"
                            " where strpos(t::text, %s) > 0)", (needle,)).fetchone()[0]:
                found.append(table)
    return found


#: Every value a relation outside raw holds, one per row: text columns as they are, JSON
#: and arrays by their leaves, and the digit runs of any of them (an ID number inside a message).
_VALUES_OF = """
with cells as (
    select {cells} as v from {relation} t
), leaves as (
    select v from cells
    union all select regexp_split_to_table(v, '[^0-9]+') from cells
)
select count(*) filter (where v in (select value from pg_temp.personal)) from leaves
"""


def personal_data_outside_raw(dsn: str) -> dict[str, int]:
    """{relation.column: how many of its values are a name, ID number or phone number of
    raw.case_snapshots} over every table and view outside raw; {} when none leaked."""
    leaks = {}
    with psycopg.connect(dsn) as conn:
        conn.execute(
            "create temp table personal as"
            " select distinct value from raw.case_snapshots,"
            " unnest(array[applicant_id, applicant_name, applicant_phone]) value"
            " where value is not null and length(value) >= 6")
        conn.execute("analyze pg_temp.personal")
        columns = conn.execute(
            "select format('%I.%I', c.table_schema, c.table_name), c.column_name, c.data_type"
            " from information_schema.columns c"
            " where c.table_schema not in ('raw', 'pg_catalog', 'information_schema')"
            " and c.table_schema not like 'pg_%%'"
            " and (c.data_type in ('text', 'character varying', 'jsonb', 'json', 'ARRAY'))"
        ).fetchall()
        for relation, column, data_type in columns:
            quoted = sql.Identifier(column).as_string(conn)
            if data_type in ("jsonb", "json"):
                cell = f"jsonb_path_query(t.{quoted}::jsonb, 'strict $.**') #>> '{{}}'"
            elif data_type == "ARRAY":
                cell = f"unnest(t.{quoted})::text"
            else:
                cell = f"t.{quoted}::text"
            count = conn.execute(_VALUES_OF.format(cells=cell, relation=relation)).fetchone()[0]
            if count:
                leaks[f"{relation}.{column}"] = count
    return leaks

"""The one comparison of the fault suite: the warehouse after a fault and its recovery
against the warehouse of a clean run on the same data.

Equal means: every table and view of `marts` and every table of `raw` holds the same
multiset of rows (compared as sorted row sets), and `marts.load_audit` reconciles
(read = loaded + quarantined for every loaded delivery) — nothing lost, nothing twice.
Tests that stop before dbt compare the raw layer, which is all the marts are built from.
Values that differ between any two runs by construction are left out: load ids (a load
rolled back by the fault still used its sequence numbers; only whether there is one
counts, e.g. whether a delivery was superseded), arrival times, and the quality runs'
ids and times (only the latest quality run is compared), waivers' ids and record times.
"""
from __future__ import annotations

import json
from collections import Counter

import psycopg

#: Columns holding load ids: compared as "is there one", not by value.
_LOAD_ID_COLUMNS = {"load_id", "last_load_id", "events_load_id", "reference_load_id",
                    "superseded_by"}
#: Columns holding when something happened on the machine, not in the data.
_RUN_TIME_COLUMNS = {
    "marts.load_audit": {"received_at"},
    "marts.quality_results": {"run_id", "checked_at"},
    "marts.quality_completeness": {"run_id", "last_delivery_at"},
    "marts.quality_waivers": {"waiver_id", "created_at"},
    "raw.deliveries": {"received_at"},
    "raw.api_cursors": {"updated_at"},
}


def _columns(conn: psycopg.Connection, schema: str, table: str) -> list[str]:
    return [r[0] for r in conn.execute(
        "select column_name from information_schema.columns"
        " where table_schema = %s and table_name = %s order by ordinal_position",
        (schema, table))]


def _select(conn: psycopg.Connection, schema: str, table: str) -> str:
    items = []
    for column in _columns(conn, schema, table):
        if column in _LOAD_ID_COLUMNS:
            items.append(f'("{column}" is not null) as "{column}"')
        elif column not in _RUN_TIME_COLUMNS.get(f"{schema}.{table}", ()):
            items.append(f'"{column}"')
    where = ""
    if table in ("quality_results", "quality_completeness"):
        where = (f' where run_id = (select run_id from {schema}.quality_results'
                 ' order by checked_at desc limit 1)')
    return f'select {", ".join(items)} from {schema}."{table}"{where}'


def _hashable(value):
    """Arrays and json values (quarantined originals) as comparable, hashable values."""
    if isinstance(value, list):
        return tuple(map(_hashable, value))
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True, default=str)
    return value


def _rows(conn: psycopg.Connection, schema: str, table: str) -> Counter:
    return Counter(tuple(map(_hashable, row))
                   for row in conn.execute(_select(conn, schema, table)).fetchall())


def snapshot(dsn: str) -> dict[str, Counter]:
    """{relation: Counter of its rows} for every relation of `marts` and table of `raw`."""
    with psycopg.connect(dsn) as conn:
        relations = conn.execute(
            "select table_schema, table_name from information_schema.tables"
            " where table_schema = 'marts' or (table_schema = 'raw' and table_type = 'BASE TABLE')"
            " order by 1, 2").fetchall()
        return {f"{schema}.{name}": _rows(conn, schema, name) for schema, name in relations}


def unreconciled(dsn: str) -> list[tuple]:
    """Loaded deliveries whose rows do not add up: read <> loaded + quarantined (in
    raw.deliveries, which marts.load_audit publishes; it exists before dbt runs)."""
    with psycopg.connect(dsn) as conn:
        return conn.execute(
            "select delivery, rows_read, rows_loaded, rows_quarantined from raw.deliveries"
            " where status = 'loaded' and rows_read <> rows_loaded + rows_quarantined").fetchall()


def differences(after_fault: dict[str, Counter], clean: dict[str, Counter], shown: int = 3) -> list[str]:
    """What differs, relation by relation, with a few rows present on one side only."""
    problems = []
    for relation in sorted(set(after_fault) | set(clean)):
        got, want = after_fault.get(relation, Counter()), clean.get(relation, Counter())
        if got == want:
            continue
        extra, missing = got - want, want - got
        problems.append(
            f"{relation}: {sum(got.values())} rows after the fault, {sum(want.values())} in the clean run; "
            f"only after the fault {sorted(extra.elements(), key=repr)[:shown]}, "
            f"only in the clean run {sorted(missing.elements(), key=repr)[:shown]}")
    return problems


def assert_same_warehouse(after_fault_dsn: str, clean: dict[str, Counter] | str) -> None:
    """The warehouse at `after_fault_dsn` equals the clean one (a DSN or its snapshot)."""
    clean_snapshot = snapshot(clean) if isinstance(clean, str) else clean
    assert unreconciled(after_fault_dsn) == []
    problems = differences(snapshot(after_fault_dsn), clean_snapshot)
    assert problems == [], "\n".join(problems)

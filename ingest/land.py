"""Bulk landing into the raw layer with COPY, in bounded batches.

Readers yield one `Parsed` item per source record; `RowWriter` buffers at most
`BATCH_ROWS` of them before copying, so memory does not grow with the delivery's size.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import psycopg

from ingest import quarantine
from ingest.columns import Column, Mapped, concat, copy_columns, numbered, table_kinds
from ingest.mapping import CASE_COLUMNS, EVENT_COLUMNS
from ingest.problems import RowProblem
from ingest.state import Counts

SCHEMA_SQL = Path(__file__).with_name("schema.sql")
BATCH_ROWS = 5000


def ensure_schema(conn: psycopg.Connection) -> None:
    """Create the raw layer (ingest/schema.sql); safe to run again."""
    conn.execute(SCHEMA_SQL.read_text(encoding="utf-8"))


@dataclass
class Parsed:
    """One source record: its mapped case and/or events, or the problem that stops it."""

    record_kind: str                     # 'case' or 'event' (the quarantine record kind)
    record_no: int
    line_no: int | None
    original: dict
    case: tuple | None = None            # in mapping.CASE_COLUMNS order
    events: list[tuple] = field(default_factory=list)  # in mapping.EVENT_COLUMNS order
    problem: RowProblem | None = None


class RowWriter:
    """Writes the records of one delivery (load_id) and counts them."""

    def __init__(self, conn: psycopg.Connection, load_id: int):
        self._conn = conn
        self._load_id = load_id
        self._cases: list[tuple] = []
        self._events: list[tuple] = []
        self._quarantined: list[tuple] = []
        self._loaded = 0
        self._rejected = 0

    def add(self, item: Parsed) -> None:
        """Buffer one record; copies the buffers when they are full."""
        if item.problem is not None:
            self._rejected += 1
            self._quarantined.append(quarantine.quarantine_row(
                self._load_id, item.record_kind, item.record_no, item.line_no,
                item.problem, item.original))
        else:
            self._loaded += 1
            if item.case is not None:
                self._cases.append((self._load_id, item.record_no, *item.case))
            self._events.extend((self._load_id, item.record_no, *e) for e in item.events)
        if len(self._cases) + len(self._events) + len(self._quarantined) >= BATCH_ROWS:
            self.flush()

    def flush(self) -> None:
        """Copy what is buffered."""
        for table, columns, rows in (
            ("raw.case_snapshots", ("load_id", "record_no", *CASE_COLUMNS), self._cases),
            ("raw.case_events", ("load_id", "record_no", *EVENT_COLUMNS), self._events),
            ("raw.quarantine", quarantine.COLUMNS, self._quarantined),
        ):
            if rows:
                copy_rows(self._conn, table, columns, rows)
                rows.clear()

    def counts(self, loaded_elsewhere: int = 0) -> Counts:
        """Records loaded and quarantined so far (call after `flush`), plus the records
        the column path loaded for the same delivery."""
        return Counts(self._loaded + loaded_elsewhere, self._rejected)


def copy_rows(conn: psycopg.Connection, table: str, columns, rows) -> None:
    """COPY an iterable of tuples (in `columns` order) into `table`."""
    statement = f"copy {table} ({', '.join(columns)}) from stdin"
    with conn.cursor() as cur, cur.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


#: Column kinds of each raw table, read once per process (the schema is fixed).
_TABLE_KINDS: dict[str, dict[str, str]] = {}
_TABLES = {"case": "raw.case_snapshots", "event": "raw.case_events"}


class MappedWriter:
    """Rows the column path mapped, of several deliveries (each row carries its own
    load_id), copied together: one binary COPY per table for a batch of small files
    rather than one per file. Call `flush` before the transaction commits."""

    def __init__(self, conn: psycopg.Connection):
        self._conn = conn
        # Per mapped table (keyed by its identity; several files of one group share one):
        # (raw table, the mapped columns, then per delivery its positions in them, its
        # load_id on each row and its record numbers).
        self._parts: dict[int, tuple[str, dict[str, Mapped], list, list, list]] = {}
        self._rows = 0

    def add(self, load_id: int, record_kind: str, record_nos: np.ndarray,
            mapped: dict[str, Mapped], positions: np.ndarray | None = None) -> int:
        """Buffer one delivery's mapped rows: those at `positions` of `mapped` (all of
        them when None); returns how many. A file row's event_no is the column's
        default, 0 (only API records number events)."""
        rows = len(record_nos)
        if rows:
            part = self._parts.setdefault(id(mapped), (_TABLES[record_kind], mapped, [], [], []))
            part[2].append(np.arange(rows) if positions is None else positions)
            part[3].append(np.full(rows, load_id, dtype=np.int64))
            part[4].append(record_nos)
            self._rows += rows
        if self._rows >= BATCH_ROWS * 20:
            self.flush()
        return rows

    def flush(self) -> None:
        """Copy what is buffered."""
        by_table: dict[str, list[dict[str, Column]]] = {}
        for table, mapped, positions, load_ids, record_nos in self._parts.values():
            kinds = (_TABLE_KINDS.get(table)
                     or _TABLE_KINDS.setdefault(table, table_kinds(self._conn, table)))
            rows = np.concatenate(positions)
            whole = len(rows) == _length(mapped) and bool((rows == np.arange(len(rows))).all())
            by_table.setdefault(table, []).append({
                "load_id": Column(kinds["load_id"], np.concatenate(load_ids)),
                "record_no": numbered(kinds["record_no"], np.concatenate(record_nos)),
                **{name: (values if whole else values.take(rows)).column(kinds[name])
                   for name, values in mapped.items()}})
        for table, parts in by_table.items():
            columns = {name: concat([part[name] for part in parts]) for name in parts[0]}
            copy_columns(self._conn, table, columns, len(columns["load_id"].values))
        self._parts.clear()
        self._rows = 0


def _length(mapped: dict[str, Mapped]) -> int:
    return len(next(iter(mapped.values())).rows) if mapped else 0

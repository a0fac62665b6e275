"""Delivery bookkeeping in raw.deliveries and raw.api_cursors.

A delivery is inserted as `loading`, its rows are written, and it becomes `loaded` in the
same transaction; a rolled-back load therefore leaves nothing behind. A newer delivery
of the same name supersedes the earlier ones (their rows stop counting).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import psycopg
from psycopg.types.json import Jsonb

from ingest.problems import DeliveryProblem


@dataclass(frozen=True)
class DeliveryOutcome:
    """What became of one delivery: the row of raw.deliveries, as a value."""

    load_id: int
    feed: str
    delivery: str
    status: str
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    reason: str | None = None

    def summary(self) -> str:
        """One line for the command line."""
        line = (f"{self.load_id:>6} {self.feed:<14} {self.delivery:<40} {self.status:<10} "
                f"read={self.rows_read} loaded={self.rows_loaded} "
                f"quarantined={self.rows_quarantined}")
        return f"{line}  {self.reason}" if self.reason else line


@dataclass(frozen=True)
class Counts:
    """Rows of one delivery; read = loaded + quarantined by construction."""

    loaded: int = 0
    quarantined: int = 0

    @property
    def read(self) -> int:
        return self.loaded + self.quarantined


def lock_feed(conn: psycopg.Connection, feed: str) -> None:
    """Serialise loads of one feed (two runs must not load the same file twice)."""
    conn.execute("select pg_advisory_xact_lock(hashtext('ingest:' || %s))", (feed,))


def latest_deliveries(conn: psycopg.Connection, feed: str,
                      deliveries: list[str]) -> dict[str, tuple]:
    """(status, content_hash, reason) of the newest delivery of each name that has one."""
    rows = conn.execute(
        "select distinct on (delivery) delivery, status, content_hash, reason"
        " from raw.deliveries where feed_unit_code = %s and delivery = any(%s)"
        " and status <> 'loading' order by delivery, load_id desc",
        (feed, deliveries),
    )
    return {name: tuple(rest) for name, *rest in rows}


def start_delivery(conn: psycopg.Connection, source_kind: str, feed: str, delivery: str,
                   record_kind: str, delivery_day: date, content_hash: str | None) -> int:
    """Insert a `loading` delivery and return its load_id."""
    return conn.execute(
        "insert into raw.deliveries (source_kind, feed_unit_code, delivery, record_kind,"
        " delivery_day, content_hash, status) values (%s, %s, %s, %s, %s, %s, 'loading')"
        " returning load_id",
        (source_kind, feed, delivery, record_kind, delivery_day, content_hash),
    ).fetchone()[0]


def finish_delivery(conn: psycopg.Connection, load_id: int, counts: Counts,
                    extra_columns: list[str] | tuple[str, ...] = (),
                    supersede: bool = True) -> DeliveryOutcome:
    """Mark a delivery `loaded`; unless told not to, supersede earlier ones of its name."""
    feed, delivery = conn.execute(
        "update raw.deliveries set status = 'loaded', rows_read = %s, rows_loaded = %s,"
        " rows_quarantined = %s, extra_columns = %s where load_id = %s"
        " returning feed_unit_code, delivery",
        (counts.read, counts.loaded, counts.quarantined, list(extra_columns), load_id),
    ).fetchone()
    # Earlier not_loaded/rejected attempts are settled by this load too, so the audit
    # does not keep reporting a file that has since arrived whole.
    if supersede:
        conn.execute(
            "update raw.deliveries set status = 'superseded', superseded_by = %s"
            " where feed_unit_code = %s and delivery = %s and load_id < %s"
            " and status in ('loaded', 'not_loaded', 'rejected')",
            (load_id, feed, delivery, load_id),
        )
    return DeliveryOutcome(load_id, feed, delivery, "loaded", counts.read, counts.loaded,
                           counts.quarantined)


def insert_loaded(conn: psycopg.Connection, source_kind: str, feed: str,
                  loads: list[tuple[str, str, date, str, list[str], Counts]]) -> list[int]:
    """Insert, in one statement, `loaded` deliveries whose rows are known before they are
    written: (delivery, record_kind, delivery_day, content_hash, extra_columns, counts)
    each. Their load_ids, in the given order (the names of one feed's batch are distinct).

    The same rows `start_delivery` then `finish_delivery` leave behind, in one round trip
    for a batch of files rather than two per file. Write the rows (and `supersede_many`)
    in the same transaction: its commit is what makes them `loaded`.
    """
    if not loads:
        return []
    names, kinds, days, hashes, extras, counts = zip(*loads)
    rows = conn.execute(
        "insert into raw.deliveries (source_kind, feed_unit_code, delivery, record_kind,"
        " delivery_day, content_hash, status, extra_columns, rows_read, rows_loaded,"
        " rows_quarantined)"
        " select %s, %s, d.delivery, d.record_kind, d.delivery_day, d.content_hash, 'loaded',"
        " array(select jsonb_array_elements_text(d.extra)), d.loaded + d.quarantined,"
        " d.loaded, d.quarantined"
        " from unnest(%s::text[], %s::text[], %s::date[], %s::text[], %s::jsonb[], %s::int[],"
        " %s::int[]) with ordinality"
        " as d(delivery, record_kind, delivery_day, content_hash, extra, loaded, quarantined, n)"
        # Identity values are drawn in the order rows reach the insert: the files' order.
        " order by d.n returning delivery, load_id",
        (source_kind, feed, list(names), list(kinds), list(days), list(hashes),
         [Jsonb(list(e)) for e in extras], [c.loaded for c in counts],
         [c.quarantined for c in counts]),
    ).fetchall()
    load_ids = dict(rows)
    return [load_ids[name] for name in names]


def supersede_many(conn: psycopg.Connection, feed: str,
                   loads: list[tuple[int, str]]) -> None:
    """`finish_delivery`'s supersession for several (load_id, delivery) of one feed with
    distinct names, in one statement."""
    if loads:
        load_ids, names = zip(*loads)
        conn.execute(
            "update raw.deliveries d set status = 'superseded', superseded_by = n.load_id"
            " from unnest(%s::bigint[], %s::text[]) as n(load_id, delivery)"
            " where d.feed_unit_code = %s and d.delivery = n.delivery"
            " and d.load_id < n.load_id and d.status in ('loaded', 'not_loaded', 'rejected')",
            (list(load_ids), list(names), feed),
        )


def record_unloaded(conn: psycopg.Connection, source_kind: str, feed: str, delivery: str,
                    record_kind: str, delivery_day: date, content_hash: str | None,
                    problem: DeliveryProblem) -> DeliveryOutcome:
    """Record a delivery that reads no rows: `not_loaded` or `rejected`, with the reason."""
    load_id = conn.execute(
        "insert into raw.deliveries (source_kind, feed_unit_code, delivery, record_kind,"
        " delivery_day, content_hash, status, reason, reason_vi)"
        " values (%s, %s, %s, %s, %s, %s, %s, %s, %s) returning load_id",
        (source_kind, feed, delivery, record_kind, delivery_day, content_hash, problem.status,
         problem.reason_en, problem.reason_vi),
    ).fetchone()[0]
    return DeliveryOutcome(load_id, feed, delivery, problem.status, reason=problem.reason_en)


def name_delivery(conn: psycopg.Connection, load_id: int, delivery: str,
                  content_hash: str) -> None:
    """Set the name and hash of a delivery known only once it is read (an API window)."""
    conn.execute("update raw.deliveries set delivery = %s, content_hash = %s where load_id = %s",
                 (delivery, content_hash, load_id))


def api_cursor(conn: psycopg.Connection, feed: str) -> datetime | None:
    """Where the API feed's next window starts (inclusive), or None before the first read."""
    row = conn.execute(
        "select cursor_at from raw.api_cursors where feed_unit_code = %s", (feed,)
    ).fetchone()
    return row[0] if row else None


def save_api_cursor(conn: psycopg.Connection, feed: str, cursor_at: datetime, load_id: int) -> None:
    """Move the feed's cursor; call inside the transaction that wrote the rows it covers."""
    conn.execute(
        "insert into raw.api_cursors (feed_unit_code, cursor_at, load_id) values (%s, %s, %s)"
        " on conflict (feed_unit_code) do update set cursor_at = excluded.cursor_at,"
        " load_id = excluded.load_id, updated_at = now()",
        (feed, cursor_at, load_id),
    )

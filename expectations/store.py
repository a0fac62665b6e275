"""The `quality` schema: its DDL, the results of every run, and the waivers.

Everything the gate decides is read back from here, so a decision can be re-derived
(and audited) from the database alone.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg.types.json import Jsonb

from expectations.outcomes import CheckOutcome
from expectations.severity import SEVERITIES

_SCHEMA_SQL = Path(__file__).with_name("schema.sql")


def ensure_schema(conn: psycopg.Connection) -> None:
    """Create the quality tables (idempotent); called by `cchc_app.bootstrap`."""
    conn.execute(_SCHEMA_SQL.read_text(encoding="utf-8"))


def save_outcomes(
    conn: psycopg.Connection, run_id: str, year: int, checked_at: dt.datetime,
    outcomes: list[CheckOutcome],
) -> None:
    """Record one row per check of run `run_id`."""
    with conn.cursor() as cursor:
        cursor.executemany(
            """
            insert into quality.check_results (
                run_id, checked_at, suite, "check", passed, observed, severity, report_year,
                suite_version, unit_codes, details, message_vi, message_en)
            values (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
            """,
            [
                (run_id, checked_at, o.suite, o.check, o.passed, o.observed, o.severity, year,
                 o.suite_version, list(o.unit_codes), Jsonb(o.rows), o.message_vi, o.message_en)
                for o in outcomes
            ],
        )


def latest_run(conn: psycopg.Connection, year: int) -> tuple[str, dt.datetime] | None:
    """(run_id, checked_at) of the latest run for report year `year`, if any."""
    row = conn.execute(
        """
        select run_id::text, checked_at from quality.check_results
        where report_year = %s order by checked_at desc limit 1
        """,
        (year,),
    ).fetchone()
    return (row[0], row[1]) if row else None


def run_outcomes(conn: psycopg.Connection, run_id: str) -> list[CheckOutcome]:
    """The recorded outcomes of run `run_id`, by suite and check."""
    rows = conn.execute(
        """
        select suite, suite_version, "check", severity, passed, observed, message_vi,
               message_en, details, unit_codes
        from quality.check_results where run_id = %s order by suite, "check"
        """,
        (run_id,),
    ).fetchall()
    return [
        CheckOutcome(suite=r[0], suite_version=r[1], check=r[2], severity=r[3], passed=r[4],
                     observed=int(r[5]), message_vi=r[6], message_en=r[7], rows=r[8],
                     unit_codes=tuple(r[9]))
        for r in rows
    ]


@dataclass(frozen=True)
class Waiver:
    """A recorded decision to publish despite a failing blocking check."""

    waiver_id: int
    check: str
    unit_code: str | None
    report_year: int
    waived_by: str
    reason: str
    valid_until: dt.date
    created_at: dt.datetime

    def covers(self, check: str, unit_code: str | None) -> bool:
        """Whether this waiver lets `check` through for `unit_code` (None: the whole check)."""
        return self.check == check and self.unit_code in (None, unit_code)


_WAIVER_COLUMNS = """waiver_id, "check", unit_code, report_year, waived_by, reason,
                     valid_until, created_at"""


def add_waiver(
    dsn: str, check: str, report_year: int, waived_by: str, reason: str,
    valid_until: dt.date, unit_code: str | None = None,
) -> Waiver:
    """Record a waiver of blocking check `check` for `report_year` (one unit, or all).

    Refuses what could never take effect: an unknown or non-blocking check, a blank
    author or reason, an expiry already past.
    """
    rule = SEVERITIES.get(check)
    if rule is None:
        raise ValueError(f"unknown check {check!r}; known: {', '.join(sorted(SEVERITIES))}")
    if rule.severity != "blocking":
        raise ValueError(f"check {check!r} is a warning: it never closes the gate")
    if valid_until < dt.date.today():
        raise ValueError(f"valid_until {valid_until} is already past")
    if not waived_by.strip() or not reason.strip():
        raise ValueError("a waiver needs who decided (waived_by) and why (reason)")
    with psycopg.connect(dsn) as conn:
        row = conn.execute(
            f"""
            insert into quality.waivers ("check", unit_code, report_year, waived_by, reason,
                                         valid_until)
            values (%s, %s, %s, %s, %s, %s) returning {_WAIVER_COLUMNS}
            """,
            (check, unit_code, report_year, waived_by.strip(), reason.strip(), valid_until),
        ).fetchone()
    return Waiver(*row)


def list_waivers(
    conn: psycopg.Connection, year: int | None = None, in_force_on: dt.date | None = None
) -> list[Waiver]:
    """Waivers, optionally of one report year and still valid on `in_force_on`."""
    rows = conn.execute(
        f"""
        select {_WAIVER_COLUMNS} from quality.waivers
        where (%(year)s::int is null or report_year = %(year)s)
          and (%(day)s::date is null or valid_until >= %(day)s)
        order by report_year, "check", unit_code nulls first, waiver_id
        """,
        {"year": year, "day": in_force_on},
    ).fetchall()
    return [Waiver(*row) for row in rows]

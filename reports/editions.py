"""Report editions: what each build published, and what it restated.

Every build of a year's report is an edition in `publish.editions` with the deliveries,
the quality run and the methodology behind it, and its figures in
`publish.edition_figures`. Figures that differ from the previous edition of the same
year are the edition's restatement log (`publish.edition_changes`). What the marts were
built from — each delivery's load id, status and content hash
(`publish.edition_deliveries`), the cut-off, the dbt project's version and the build of
the marts read — lets `cchc report --verify` rebuild the figures (cchc_app.verify).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import psycopg

from reports.data import RecordedDelivery
from reports.figures import Figures, figures_hash

SCHEMA_SQL = Path(__file__).with_name("schema.sql")

# Serialises builds of the same year, so edition numbers and restatement logs are
# computed against a stable previous edition (pg_advisory_xact_lock(class, year)).
_LOCK_CLASS = 20_626_001


@dataclass(frozen=True)
class FigureChange:
    figure_key: str
    previous_value: Decimal | None
    new_value: Decimal | None
    change_kind: str


@dataclass(frozen=True)
class Provenance:
    """What the marts behind an edition were built from, beyond the load ids."""

    deliveries: tuple[RecordedDelivery, ...] = ()
    cutoff_date: dt.date | None = None
    dbt_version: str | None = None
    marts_build: str | None = None


@dataclass(frozen=True)
class Edition:
    edition_id: int
    report_year: int
    edition_no: int
    built_at: dt.datetime
    load_ids: list[str]
    quality_run_id: str | None
    methodology_version: str | None
    figures_hash: str
    previous_edition_id: int | None
    changes: list[FigureChange]
    provenance: Provenance = Provenance()


def ensure_schema(conn: psycopg.Connection) -> None:
    """Create the `publish` schema and its tables if missing (idempotent)."""
    conn.execute(SCHEMA_SQL.read_text(encoding="utf-8"))


def _previous_figures(conn: psycopg.Connection, edition_id: int) -> Figures:
    rows = conn.execute(
        "select figure_key, value from publish.edition_figures where edition_id = %s",
        (edition_id,),
    ).fetchall()
    return dict(rows)


def diff_figures(previous: Figures, current: Figures) -> list[FigureChange]:
    """Figures added, removed or changed from `previous` to `current`, in key order."""
    changes = []
    for key in sorted(previous.keys() | current.keys()):
        if key not in previous:
            changes.append(FigureChange(key, None, current[key], "added"))
        elif key not in current:
            changes.append(FigureChange(key, previous[key], None, "removed"))
        elif previous[key] != current[key]:
            changes.append(FigureChange(key, previous[key], current[key], "changed"))
    return changes


def record_edition(
    conn: psycopg.Connection,
    year: int,
    figures: Figures,
    load_ids: list[str],
    quality_run_id: str | None,
    methodology_version: str | None,
    provenance: Provenance = Provenance(),
) -> Edition:
    """Insert a new edition of `year` with its figures and its changes since the last one.

    Runs inside the caller's transaction, so a build that fails after this call leaves
    no edition behind.
    """
    conn.execute("select pg_advisory_xact_lock(%s, %s)", (_LOCK_CLASS, year))
    previous = conn.execute(
        """select edition_id, edition_no from publish.editions
           where report_year = %s order by edition_no desc limit 1""",
        (year,),
    ).fetchone()
    previous_id, edition_no = (previous[0], previous[1] + 1) if previous else (None, 1)
    changes = diff_figures(_previous_figures(conn, previous_id), figures) if previous_id else []
    digest = figures_hash(figures)
    edition_id, built_at = conn.execute(
        """insert into publish.editions
             (report_year, edition_no, load_ids, quality_run_id, methodology_version,
              figures_hash, figure_count, previous_edition_id, cutoff_date, dbt_version,
              marts_build)
           values (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
           returning edition_id, built_at""",
        (
            year,
            edition_no,
            load_ids,
            quality_run_id,
            methodology_version,
            digest,
            len(figures),
            previous_id,
            provenance.cutoff_date,
            provenance.dbt_version,
            provenance.marts_build,
        ),
    ).fetchone()
    with conn.cursor() as cur:
        # Tens of thousands of rows for a full province: COPY, not INSERTs.
        with cur.copy(
            "copy publish.edition_figures (edition_id, figure_key, value) from stdin"
        ) as copy:
            for key, value in sorted(figures.items()):
                copy.write_row((edition_id, key, value))
        with cur.copy(
            "copy publish.edition_deliveries"
            " (edition_id, load_id, status, content_hash, rows_loaded) from stdin"
        ) as copy:
            for d in provenance.deliveries:
                copy.write_row((edition_id, d.load_id, d.status, d.content_hash, d.rows_loaded))
        cur.executemany(
            """insert into publish.edition_changes
                 (edition_id, figure_key, previous_value, new_value, change_kind)
               values (%s, %s, %s, %s, %s)""",
            [
                (edition_id, c.figure_key, c.previous_value, c.new_value, c.change_kind)
                for c in changes
            ],
        )
    return Edition(
        edition_id,
        year,
        edition_no,
        built_at,
        load_ids,
        quality_run_id,
        methodology_version,
        digest,
        previous_id,
        changes,
        provenance,
    )

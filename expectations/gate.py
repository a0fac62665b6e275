"""The quality gate: no annual report from data that failed a blocking check.

`run_checks` validates the warehouse for a report year and records the results;
`assert_open` reads the latest recorded run for that year and raises `GateClosed` unless
every failing blocking check is covered by a waiver. Publishing calls `assert_open`
and prints the returned waived failures and warnings in the report's quality annex.
"""
from __future__ import annotations

import datetime as dt
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

import psycopg

from cchc.settings import state_dir
from expectations import completeness, store
from expectations.outcomes import CheckOutcome
from expectations.store import Waiver
from expectations.suites import Scope, all_suites
from expectations.validation import validate


def data_docs_dir() -> Path:
    """Where the GX data docs go: `CCHC_DATA_DOCS_DIR`, else `<state>/quality/data_docs`."""
    configured = os.environ.get("CCHC_DATA_DOCS_DIR")
    return Path(configured).resolve() if configured else state_dir() / "quality" / "data_docs"


@dataclass(frozen=True)
class QualityRun:
    """One run of every suite for a report year, as recorded in quality.check_results."""

    run_id: str
    year: int
    checked_at: dt.datetime
    outcomes: list[CheckOutcome]
    data_docs: Path  # index.html of the data docs site

    @property
    def blocking_failures(self) -> list[CheckOutcome]:
        """Failed checks of severity blocking (before any waiver)."""
        return [o for o in self.outcomes if not o.passed and o.severity == "blocking"]

    def __str__(self) -> str:
        failed = sum(not o.passed for o in self.outcomes)
        return (f"quality run {self.run_id} for {self.year}: {len(self.outcomes)} checks, "
                f"{failed} failed ({len(self.blocking_failures)} blocking); "
                f"data docs {self.data_docs}")


@dataclass(frozen=True)
class WaivedFailure:
    """A failing blocking check let through, with the waivers that did it."""

    outcome: CheckOutcome
    waivers: tuple[Waiver, ...]


@dataclass(frozen=True)
class GateDecision:
    """An open gate: what was waived and what was only a warning, for the quality annex."""

    year: int
    run_id: str
    checked_at: dt.datetime
    waived: list[WaivedFailure]
    warnings: list[CheckOutcome]

    def __str__(self) -> str:
        return (f"quality gate open for {self.year} (run {self.run_id}): "
                f"{len(self.waived)} waived failures, {len(self.warnings)} warnings")


class GateClosed(Exception):
    """The report may not be published: `failures` lists the unwaived blocking checks."""

    def __init__(self, year: int, message: str, failures: list[CheckOutcome]):
        super().__init__(message)
        self.year = year
        self.failures = failures


def run_checks(
    dsn: str, year: int, data_dir: str | os.PathLike | None = None,
    docs_dir: Path | None = None, cutoff_date: dt.date | None = None,
) -> QualityRun:
    """Validate the warehouse for report year `year` and record one row per check.

    Builds the completeness matrix, runs every suite with GX, writes the data docs
    (`docs_dir`, default `data_docs_dir()`) and stores the results. `data_dir` is the
    delivery directory: when given, files landed there but never ingested are counted
    in the completeness matrix. `cutoff_date` is the cut-off the marts were built with
    (default 31 December of `year`): the matrix judges the months ended by then.
    """
    scope = Scope(year=year, run_id=str(uuid.uuid4()))
    docs = Path(docs_dir) if docs_dir else data_docs_dir()
    # Stamped before reading anything: a delivery landing mid-run makes the run stale.
    checked_at = dt.datetime.now(dt.UTC)
    with psycopg.connect(dsn) as conn:
        completeness.build_matrix(conn, year, scope.run_id, data_dir, cutoff_date)
    outcomes = validate(dsn, scope, all_suites(), docs)
    with psycopg.connect(dsn) as conn:
        store.save_outcomes(conn, scope.run_id, year, checked_at, outcomes)
    return QualityRun(scope.run_id, year, checked_at, outcomes, docs / "index.html")


def _closed_message(year: int, run_id: str, failures: list[CheckOutcome],
                    partly_waived: dict[str, tuple[str, ...]]) -> str:
    def waived_note(check: str, vi: bool) -> str:
        units = ", ".join(partly_waived.get(check, ()))
        if not units:
            return ""
        return f" (đã miễn cho: {units})" if vi else f" (waived for: {units})"

    lines = [(
        f"Cổng chất lượng ĐÓNG cho báo cáo năm {year} (lần kiểm tra {run_id}): "
        f"số kiểm tra chặn không đạt {len(failures)}."
    )]
    lines += [f"  - {o.message_vi}{waived_note(o.check, True)}" for o in failures]
    lines.append(
        f"Quality gate CLOSED for the {year} report (run {run_id}): "
        f"blocking checks failed: {len(failures)}."
    )
    lines += [f"  - {o.message_en}{waived_note(o.check, False)}" for o in failures]
    return "\n".join(lines)


def _stale_since(conn: psycopg.Connection, checked_at: dt.datetime) -> int:
    return conn.execute(
        "select count(*) from raw.deliveries where received_at > %s", (checked_at,)
    ).fetchone()[0]


def _apply_waivers(outcomes: list[CheckOutcome], waivers: list[Waiver]):
    """Split failing blocking checks into waived ones and the rest (with their waived units)."""
    waived, failures, partly_waived = [], [], {}
    for outcome in (o for o in outcomes if not o.passed and o.severity == "blocking"):
        units = outcome.unit_codes or (None,)
        covering = {u: [w for w in waivers if w.covers(outcome.check, u)] for u in units}
        if all(covering.values()):
            used = {w.waiver_id: w for ws in covering.values() for w in ws}
            waived.append(WaivedFailure(outcome, tuple(used.values())))
        else:
            failures.append(outcome)
            partly_waived[outcome.check] = tuple(u for u, ws in covering.items() if ws and u)
    return waived, failures, partly_waived


def assert_open(dsn: str, year: int) -> GateDecision:
    """Raise `GateClosed` unless the latest run for `year` passed every blocking check.

    A failing blocking check passes when a waiver in force today covers it: a waiver
    without unit covers the whole check, unit waivers must cover every unit it names.
    The gate is also closed when there is no run for the year, or when deliveries
    arrived after the latest run (its verdict is about other data).
    """
    with psycopg.connect(dsn) as conn:
        latest = store.latest_run(conn, year)
        if latest is None:
            raise GateClosed(year, (
                f"Chưa có lần kiểm tra chất lượng nào cho năm {year}: "
                f"chạy `python -m expectations check --year {year}`.\n"
                f"No quality run for {year}: run `python -m expectations check --year {year}`."
            ), [])
        run_id, checked_at = latest
        newer = _stale_since(conn, checked_at)
        if newer:
            raise GateClosed(year, (
                f"Lần kiểm tra {run_id} đã cũ: số bản giao nhận sau {checked_at:%Y-%m-%d %H:%M:%S}"
                f" UTC là {newer}; chạy lại kiểm tra.\nRun {run_id} is stale: deliveries received "
                f"after {checked_at:%Y-%m-%d %H:%M:%S} UTC: {newer}; run the checks again."
            ), [])
        outcomes = store.run_outcomes(conn, run_id)
        waivers = store.list_waivers(conn, year, in_force_on=dt.date.today())

    waived, failures, partly_waived = _apply_waivers(outcomes, waivers)
    if failures:
        raise GateClosed(year, _closed_message(year, run_id, failures, partly_waived), failures)
    warnings = [o for o in outcomes if not o.passed and o.severity == "warning"]
    return GateDecision(year, run_id, checked_at, waived, warnings)

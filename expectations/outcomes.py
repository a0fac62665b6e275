"""The outcome of one check in one run, and its bilingual message.

A message names the check, what a failure means, how many offending rows there are, the
units, and the numbers of the first rows — enough for a person to know what to fix
without opening the data docs.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from expectations.severity import Severity

#: Rows and units printed in a message; every row (as GX returned them) stays in `details`
#: and every unit in `unit_codes`.
ROWS_IN_MESSAGE = 10
UNITS_IN_MESSAGE = 20
#: Rows kept in `quality.check_results.details`; `observed` always has the full count.
DETAIL_ROWS = 200


@dataclass(frozen=True)
class CheckOutcome:
    """What one check found: `observed` offending rows, `rows` their content."""

    suite: str
    suite_version: str
    check: str
    severity: Severity
    passed: bool
    observed: int
    message_vi: str
    message_en: str
    rows: list[dict] = field(default_factory=list)
    unit_codes: tuple[str, ...] = ()


def plain(value):
    """`value` as JSON can hold it: dates as ISO text, whole decimals as ints."""
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def _describe_row(row: dict) -> str:
    unit = row.get("unit_code") or "?"
    rest = ", ".join(
        f"{key}={value}" for key, value in row.items() if key != "unit_code" and value is not None
    )
    return f"{unit} ({rest})" if rest else str(unit)


def _rows_text(rows: list[dict], observed: int, more_word: str) -> str:
    shown = "; ".join(_describe_row(row) for row in rows[:ROWS_IN_MESSAGE])
    hidden = observed - min(len(rows), ROWS_IN_MESSAGE)
    return shown + (f"; … +{hidden} {more_word}" if hidden > 0 else "")


def failed_outcome(
    suite: str, version: str, check: str, severity: Severity,
    failure_vi: str, failure_en: str, observed: int, rows: list[dict],
) -> CheckOutcome:
    """A failed check, its rows made JSON-safe and described in both languages."""
    rows = plain(rows[:DETAIL_ROWS])
    units = tuple(sorted({str(row["unit_code"]) for row in rows if row.get("unit_code")}))
    # Past the rows GX returned, more units may fail: say so rather than imply a full list.
    more = " …" if len(rows) < observed else ""
    listed = ", ".join(units[:UNITS_IN_MESSAGE])
    if len(units) > UNITS_IN_MESSAGE:
        listed += f" (+{len(units) - UNITS_IN_MESSAGE})"
    units_vi = (listed or "không xác định") + more
    units_en = (listed or "unknown") + more
    return CheckOutcome(
        suite=suite, suite_version=version, check=check, severity=severity, passed=False,
        observed=observed, rows=rows, unit_codes=units,
        message_vi=(f"[{check}] {failure_vi}: số dòng vi phạm {observed}; đơn vị: {units_vi}. "
                    f"Chi tiết: {_rows_text(rows, observed, 'dòng khác')}"),
        message_en=(f"[{check}] {failure_en}: offending rows {observed}; units: {units_en}. "
                    f"Details: {_rows_text(rows, observed, 'more rows')}"),
    )


def passed_outcome(suite: str, version: str, check: str, severity: Severity) -> CheckOutcome:
    """A passed check: no offending row."""
    return CheckOutcome(
        suite=suite, suite_version=version, check=check, severity=severity, passed=True,
        observed=0,
        message_vi=f"[{check}] đạt: số dòng vi phạm 0",
        message_en=f"[{check}] passed: offending rows 0",
    )


def not_run_outcome(
    suite: str, version: str, check: str, severity: Severity, error: str
) -> CheckOutcome:
    """A check that could not run (e.g. its table is missing): it counts as failed."""
    return CheckOutcome(
        suite=suite, suite_version=version, check=check, severity=severity, passed=False,
        observed=0,
        message_vi=f"[{check}] không chạy được kiểm tra (bộ kiểm tra {suite}): {error}",
        message_en=f"[{check}] the check could not run (suite {suite}): {error}",
    )

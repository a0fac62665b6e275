"""The data-quality annex: the checks of one quality run, its completeness matrix, waivers.

The gate passes its decision to the report builder (`quality=`, an
`expectations.gate.GateDecision`): the annex then shows that run and the waivers that let
its failures through. Without a decision the latest run in `marts.quality_results` and
every waiver recorded for the year (`marts.quality_waivers`) are shown. Like the rest of the
report it reads marts only. Only attributes are read from the decision (`run_id`,
`waived[].waivers[]`); from `expectations` come each check's Vietnamese title and
explanation (`expectations.severity`) and the one `Waiver` type (`expectations.store`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import psycopg
from psycopg.rows import dict_row

from expectations.severity import Reading, reading_of
from expectations.store import Waiver

COMPLETE_MARK = "✓"
MISSING_MARK = "✗"


@dataclass(frozen=True)
class CheckResult:
    suite: str
    check: str
    passed: bool
    observed: object
    severity: str

    @property
    def reading(self) -> Reading:
        """Title and explanation for the annex (the id stays in small print)."""
        return reading_of(self.check)


@dataclass
class QualityAnnex:
    run_id: str | None
    checks: list[CheckResult] = field(default_factory=list)
    # unit code → month → complete (every feed the unit was expected to deliver through)
    completeness: dict[str, dict[int, bool]] = field(default_factory=dict)
    waivers: list[Waiver] = field(default_factory=list)

    def completeness_marks(self, unit_code: str) -> list[str]:
        """Twelve printed marks for a unit: ✓ complete, ✗ missing, blank not expected."""
        months = self.completeness.get(unit_code, {})
        return [
            "" if m not in months else COMPLETE_MARK if months[m] else MISSING_MARK
            for m in range(1, 13)
        ]


def _latest_run_id(cur: psycopg.Cursor) -> str | None:
    cur.execute(
        "select run_id::text as run_id from marts.quality_results order by checked_at desc limit 1"
    )
    row = cur.fetchone()
    return None if row is None else row["run_id"]


def _checks(cur: psycopg.Cursor, run_id: str | None) -> list[CheckResult]:
    # Failures first, blocking before warning: what a reader of the annex looks for.
    cur.execute(
        """select suite, "check", passed, observed, severity from marts.quality_results
           where run_id::text = %s
           order by passed, severity, suite, "check" """,
        (run_id,),
    )
    return [CheckResult(**row) for row in cur.fetchall()]


def _completeness(cur: psycopg.Cursor, year: int, run_id: str | None) -> dict:
    cur.execute(
        """select unit_code, period_month, bool_and(complete) as complete
           from marts.quality_completeness
           where period_year = %s and run_id::text = %s
           group by unit_code, period_month""",
        (year, run_id),
    )
    matrix: dict[str, dict[int, bool]] = {}
    for row in cur.fetchall():
        matrix.setdefault(row["unit_code"], {})[row["period_month"]] = row["complete"]
    return matrix


def _recorded_waivers(cur: psycopg.Cursor, year: int) -> list[Waiver]:
    cur.execute(
        """select waiver_id, "check", unit_code, report_year, waived_by,
                  waiver_reason as reason, valid_until, created_at
           from marts.quality_waivers
           where report_year = %s order by "check", unit_code nulls first, valid_until""",
        (year,),
    )
    return [Waiver(**row) for row in cur.fetchall()]


def _decided_waivers(decision) -> list[Waiver]:
    # One waiver may let several failing outcomes through: list it once.
    waivers = {w for waived in decision.waived for w in waived.waivers}
    return sorted(waivers, key=lambda w: (w.check, w.unit_code or "", w.valid_until))


def read_quality_annex(conn: psycopg.Connection, year: int, decision=None) -> QualityAnnex:
    """The annex of the gate's `decision`, or of the latest quality run without one."""
    with conn.cursor(row_factory=dict_row) as cur:
        run_id = str(decision.run_id) if decision is not None else _latest_run_id(cur)
        return QualityAnnex(
            run_id=run_id,
            checks=_checks(cur, run_id),
            completeness=_completeness(cur, year, run_id),
            waivers=(
                _decided_waivers(decision) if decision is not None else _recorded_waivers(cur, year)
            ),
        )

"""The one reviewed place that says which checks stop the annual report.

A `blocking` failure closes the gate (`expectations.gate.assert_open`) unless a waiver
covers it; a `warning` is recorded and printed but lets the report through. Changing a
line here changes what the province may publish: each entry says why it is what it is.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["blocking", "warning"]


@dataclass(frozen=True)
class Rule:
    """The severity of one check and the reason it has that severity."""

    severity: Severity
    reason: str


SEVERITIES: dict[str, Rule] = {
    # raw layer (ingest boundary)
    "raw.deliveries.rows_reconcile": Rule(
        "blocking",
        "rows read but neither loaded nor quarantined were lost silently",
    ),
    "raw.deliveries.quarantine_share": Rule(
        "warning",
        "the loaded rows are still right; a high share is a vendor problem to chase",
    ),
    "raw.case_snapshots.required_fields": Rule(
        "blocking",
        "a snapshot without code, unit, procedure, status or update time cannot be placed",
    ),
    "raw.case_snapshots.known_unit": Rule(
        "blocking",
        "a case of an unknown unit would be counted for nobody in the index",
    ),
    "raw.case_snapshots.known_procedure": Rule(
        "blocking",
        "without a catalogue procedure there is no time limit, hence no due date",
    ),
    "raw.case_snapshots.duplicate_case_in_delivery": Rule(
        "warning",
        "allowed by the feed contract (newest row wins) but a sign of a vendor bug",
    ),
    # staging (what every mart is built from)
    "staging.stg_raw__cases.one_row_per_case": Rule(
        "blocking",
        "a duplicated case is counted twice in every rate",
    ),
    "staging.stg_raw__cases.receipt_not_after_terminal": Rule(
        "blocking",
        "a case finished before it was received has wrong dates and wrong timeliness",
    ),
    "staging.stg_raw__cases.appointment_not_before_receipt": Rule(
        "blocking",
        "an appointment before receipt makes the case late by construction",
    ),
    "staging.stg_raw__cases.calendar_covers_case_years": Rule(
        "blocking",
        "rules.md §1: working days of a year the calendar lacks are an error, not a guess",
    ),
    # marts (before publishing)
    "marts.fct_cases.calendar_covers_computed_dates": Rule(
        "blocking",
        "rules.md §1: a due date past the calendar is not computed, so the case has no "
        "timeliness and every rate it belongs to is wrong",
    ),
    "marts.fct_cases.procedure_version_nearest": Rule(
        "warning",
        "sources.md §3 allows the nearest version; the due date may differ from the one "
        "in force, so the cases are listed for the vendor to correct",
    ),
    "marts.fct_cases.terminal_date_fallback": Rule(
        "warning",
        "rules.md §2 allows NgayTra / NgayCapNhat in place of NgayKetThucXuLy, flagged: the "
        "timeliness may be judged on a later date than the real end of processing",
    ),
    "marts.mart_on_time.bieu06_identities": Rule(
        "blocking",
        "Biểu 06 identities are the form's own arithmetic; a broken row is a wrong report",
    ),
    "marts.mart_on_time_yearly.bieu06_identities": Rule(
        "blocking",
        "the yearly Biểu 06 feeds the index directly; a broken identity is a wrong score",
    ),
    "marts.mart_on_time.period_continuity": Rule(
        "blocking",
        "rules.md §6: what is pending at a month's end is what the next month carries over",
    ),
    "marts.mart_on_time_yearly.period_continuity": Rule(
        "blocking",
        "a year's pending cases that vanish from next year's carried over were never counted",
    ),
    "marts.mart_on_time.rates_in_range": Rule(
        "blocking",
        "a rate outside 0–100 % is a computation error, not a measurement",
    ),
    "marts.mart_on_time_yearly.rates_in_range": Rule(
        "blocking",
        "TTHC_ON_TIME is scored from this rate; out of range it scores nonsense",
    ),
    "marts.mart_online_service_rate.rates_in_range": Rule(
        "blocking",
        "a rate outside 0–100 % is a computation error, not a measurement",
    ),
    "marts.mart_online_service_rate_yearly.rates_in_range": Rule(
        "blocking",
        "the DVC_* criteria are scored from these rates; out of range they score nonsense",
    ),
    "marts.mart_on_time_yearly.units_covered": Rule(
        "blocking",
        "a unit in force missing from the year's table would be ranked on no data",
    ),
    "marts.mart_par_index_criteria.appraisal_score_missing": Rule(
        "blocking",
        "a missing appraisal score scores 0 points: the unit's total and rank would be "
        "published wrong; waive it only when the council really gave no score",
    ),
    "marts.mart_par_index_criteria.appraisal_score_in_range": Rule(
        "blocking",
        "a score outside 0 to the criterion's maximum is a data-entry error that moves "
        "the unit's total and rank",
    ),
    # completeness (deliveries against sources.yml)
    "quality.completeness.monthly_deliveries": Rule(
        "blocking",
        "a unit missing a month of deliveries would be scored on part of its cases",
    ),
}


def severity_of(check: str) -> Severity:
    """The severity of `check`; an unlisted check is a programming error, not a warning."""
    try:
        return SEVERITIES[check].severity
    except KeyError:
        raise KeyError(f"check {check!r} has no severity in expectations/severity.py") from None

"""Suite `marts__mart_on_time`: the monthly Biểu 06 table adds up and its rates are percentages."""
from __future__ import annotations

from expectations.suites import Check, Scope
from expectations.suites._period_tables import (
    ON_TIME_RATES,
    bieu06_identities,
    period_continuity,
    period_table_suite,
    rates_in_range,
)

TABLE = "mart_on_time"


def _checks(scope: Scope) -> list[Check]:
    return [
        bieu06_identities(TABLE, "month"),
        period_continuity(TABLE, "month"),
        rates_in_range(TABLE, "month", ON_TIME_RATES),
    ]


SUITE = period_table_suite(TABLE, _checks)

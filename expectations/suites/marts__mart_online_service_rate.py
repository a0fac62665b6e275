"""Suite `marts__mart_online_service_rate`: the monthly online-service rates are percentages."""
from __future__ import annotations

from expectations.suites import Check, Scope
from expectations.suites._period_tables import (
    ONLINE_SERVICE_RATES,
    period_table_suite,
    rates_in_range,
)

TABLE = "mart_online_service_rate"


def _checks(scope: Scope) -> list[Check]:
    return [rates_in_range(TABLE, "month", ONLINE_SERVICE_RATES)]


SUITE = period_table_suite(TABLE, _checks)

"""Suite `marts__mart_on_time_yearly`: the yearly Biểu 06 table adds up, its rates are
percentages, and every unit in force in the report year has its row (marts.md: a unit ×
period table has a row for every unit in force, zeros included)."""
from __future__ import annotations

from expectations.suites import Check, Scope, unexpected_rows
from expectations.suites._period_tables import (
    ON_TIME_RATES,
    bieu06_identities,
    period_continuity,
    period_table_suite,
    rates_in_range,
)

TABLE = "mart_on_time_yearly"


def _units_covered(year: int) -> Check:
    return Check(
        name=f"marts.{TABLE}.units_covered",
        expectation=unexpected_rows(
            f"""
            select u.unit_code, u.unit_kind, u.valid_from, u.valid_to
            from marts.dim_units u
            left join (select * from {{batch}} as b where b.period_year = {year}) as y
                   on y.unit_code = u.unit_code
            where u.unit_kind in ('DEPARTMENT', 'DISTRICT', 'COMMUNE')
              and u.valid_from <= make_date({year}, 12, 31)
              and (u.valid_to is null or u.valid_to >= make_date({year}, 1, 1))
              and y.unit_code is null
            """,
            f"every department, district and commune in force in {year} has a {year} row",
        ),
        failure_vi=f"đơn vị còn hoạt động trong năm {year} nhưng không có dòng trong {TABLE}",
        failure_en=f"units in force in {year} without a {year} row in {TABLE}",
    )


def _checks(scope: Scope) -> list[Check]:
    return [
        bieu06_identities(TABLE, "year"),
        period_continuity(TABLE, "year"),
        rates_in_range(TABLE, "year", ON_TIME_RATES),
        _units_covered(scope.year),
    ]


SUITE = period_table_suite(TABLE, _checks)

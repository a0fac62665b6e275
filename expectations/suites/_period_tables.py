"""Checks shared by the unit × period marts (monthly tables and their `_yearly` twins).

The monthly and yearly tables have the same columns and the same arithmetic, so their
suites are built here from the table name and its grain rather than written twice.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from expectations import bieu06
from expectations.suites import Check, Scope, SuiteSpec, unexpected_rows

Grain = Literal["month", "year"]

#: Biểu 06/VPCP/KSTT (rules.md §6): the form's own arithmetic, column numbers as printed.
BIEU06_IDENTITIES = bieu06.identities()

ON_TIME_RATES = ("on_time_rate", "on_time_rate_766")
ONLINE_SERVICE_RATES = (
    "online_rate", "online_rate_capable", "full_process_online_rate", "postal_rate",
    "online_payment_rate", "digitised_result_rate", "rating_satisfaction_rate",
)


def _period_sql(grain: Grain) -> str:
    if grain == "month":
        return "b.period_year || '-' || lpad(b.period_month::text, 2, '0')"
    return "b.period_year::text"


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def bieu06_identities(table: str, grain: Grain) -> Check:
    """Every row of `marts.<table>` satisfies the Biểu 06 identities."""
    values = ",\n".join(
        f"({_quote(label)}, b.{lhs}, {' + '.join('b.' + column for column in rhs)})"
        for label, lhs, rhs in BIEU06_IDENTITIES
    )
    return Check(
        name=f"marts.{table}.bieu06_identities",
        expectation=unexpected_rows(
            f"""
            select b.unit_code, {_period_sql(grain)} as period, i.identity,
                   i.left_side, i.right_side
            from {{batch}} as b
            cross join lateral (values {values}) as i(identity, left_side, right_side)
            where i.left_side is distinct from i.right_side
            """,
            "Biểu 06 identities hold on every row: " + "; ".join(
                label for label, _, _ in BIEU06_IDENTITIES),
        ),
        failure_vi=f"dòng của {table} sai đẳng thức Biểu 06",
        failure_en=f"rows of {table} breaking a Biểu 06 identity",
    )


def _period_number_sql(grain: Grain, alias: str) -> str:
    """Consecutive periods have consecutive numbers."""
    if grain == "month":
        return f"{alias}.period_year * 12 + {alias}.period_month"
    return f"{alias}.period_year"


def period_continuity(table: str, grain: Grain) -> Check:
    """(11) pending_total of a period = (6) carried_over of the next, per unit.

    Every row is checked, units that ceased to exist included: a unit with cases pending at
    a period's end and no row in the next period (the table's last period aside) has lost
    them, so a missing next row counts as 0 carried over.
    """
    return Check(
        name=f"marts.{table}.period_continuity",
        expectation=unexpected_rows(
            f"""
            select b.unit_code, {_period_sql(grain)} as period, b.pending_total,
                   coalesce(n.carried_over, 0) as next_period_carried_over
            from {{batch}} as b
            left join {{batch}} as n
                   on n.unit_code = b.unit_code
                  and {_period_number_sql(grain, "n")} = {_period_number_sql(grain, "b")} + 1
            where {_period_number_sql(grain, "b")}
                  < (select max({_period_number_sql(grain, "l")}) from {{batch}} as l)
              and b.pending_total is distinct from coalesce(n.carried_over, 0)
            """,
            "Biểu 06: (11) pending_total of a period = (6) carried_over of the next",
        ),
        failure_vi=f"số tồn cuối kỳ (11) của {table} khác số chuyển sang kỳ sau (6)",
        failure_en=f"rows of {table} whose pending (11) differs from the next period's "
                   "carried over (6)",
    )


def rates_in_range(table: str, grain: Grain, rate_columns: tuple[str, ...]) -> Check:
    """Every non-null rate of `marts.<table>` is a percentage between 0 and 100."""
    values = ", ".join(f"('{column}', b.{column})" for column in rate_columns)
    return Check(
        name=f"marts.{table}.rates_in_range",
        expectation=unexpected_rows(
            f"""
            select b.unit_code, {_period_sql(grain)} as period, r.rate, r.value
            from {{batch}} as b
            cross join lateral (values {values}) as r(rate, value)
            where r.value < 0 or r.value > 100
            """,
            f"{', '.join(rate_columns)} are within 0–100 (%) where not null",
        ),
        failure_vi=f"tỷ lệ (%) của {table} nằm ngoài khoảng 0–100",
        failure_en=f"rates (%) of {table} outside 0–100",
    )


def period_table_suite(table: str, checks: Callable[[Scope], list[Check]]) -> SuiteSpec:
    """The suite of `marts.<table>`, validated whole: every row, every period."""
    return SuiteSpec(
        name=f"marts__{table}",
        version="3",
        asset_query=lambda scope: f"select * from marts.{table}",
        checks=checks,
        index_columns=("unit_code", "period_year"),
    )

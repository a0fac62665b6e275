"""Suite `staging__stg_raw__cases`: the one-row-per-case model every mart is built from.

Checked whole, not for the report year alone: a case received in one year is resolved or
carried over in the next, so a defect in any year reaches the year being reported.
One row per case is the dbt test `unique` on stg_raw__cases.case_code: a failing test
stops `dbt build` before any mart is rebuilt, so the gate never runs on such data.
"""
from __future__ import annotations

from expectations.suites import Check, Scope, SuiteSpec, unexpected_rows


def _asset_query(scope: Scope) -> str:
    # The checks speak of the dates the rules compute with; the staging model keeps the
    # delivered names. terminal_at_date is NgayKetThucXuLy as delivered: the fallback to
    # NgayTra / NgayCapNhat (rules.md §2) is the transformation's, and flagged there.
    return """
        select case_code, unit_code, procedure_code, status_code, received_date,
               terminal_at_date as terminal_date, appointment_date as original_due_date
        from staging.stg_raw__cases
    """


def _checks(scope: Scope) -> list[Check]:
    return [
        Check(
            name="staging.stg_raw__cases.receipt_not_after_terminal",
            expectation=unexpected_rows(
                """
                select unit_code, case_code, received_date, terminal_date
                from {batch}
                where terminal_date < received_date
                """,
                "received_date <= terminal_date",
            ),
            failure_vi="hồ sơ có ngày kết thúc xử lý trước ngày tiếp nhận",
            failure_en="cases whose terminal date is before their receipt date",
        ),
        Check(
            name="staging.stg_raw__cases.appointment_not_before_receipt",
            expectation=unexpected_rows(
                """
                select unit_code, case_code, received_date, original_due_date
                from {batch}
                where original_due_date < received_date
                """,
                "original_due_date (NgayHenTra) is not before received_date",
            ),
            failure_vi="hồ sơ có ngày hẹn trả trước ngày tiếp nhận",
            failure_en="cases whose appointment date is before their receipt date",
        ),
        Check(
            name="staging.stg_raw__cases.calendar_covers_case_years",
            expectation=unexpected_rows(
                """
                select d.unit_code, d.year, count(distinct d.case_code) as cases
                from (
                    select b.unit_code, b.case_code, extract(year from x.day)::int as year
                    from {batch} as b
                    cross join lateral (
                        values (b.received_date), (b.terminal_date), (b.original_due_date)
                    ) as x(day)
                    where x.day is not null
                ) d
                left join (
                    select distinct calendar_year as year from intermediate.int_calendar__days
                ) c on c.year = d.year
                where c.year is null
                group by d.unit_code, d.year
                """,
                "every year of a receipt, terminal or appointment date is in the calendar",
            ),
            failure_vi="hồ sơ có ngày thuộc năm không có trong lịch làm việc",
            failure_en="cases dated in a year the working calendar does not cover",
        ),
    ]


SUITE = SuiteSpec(
    name="staging__stg_raw__cases",
    version="2",
    asset_query=_asset_query,
    checks=_checks,
    index_columns=("unit_code", "case_code"),
)

"""Suite `marts__fct_cases`: the cases that count in the report year, as the rules saw them.

The asset is every accepted case that counts in the year: received by 31 December and not
terminal before 1 January (received, resolved, carried over or pending in the year).
- A due date the calendar cannot compute (rules.md §1) blocks: the case has no
  timeliness, so every rate it belongs to is wrong. The check names the year the
  calendar lacks and how many cases it leaves without a due date.
- Cases computed with the nearest procedure version (sources.md §3) and cases whose
  terminal date came from NgayTra / NgayCapNhat (rules.md §2) are warnings listing the
  case codes: the figures stand, the vendor's records need correcting.
"""
from __future__ import annotations

from expectations.suites import Check, Scope, SuiteSpec, unexpected_rows


def _asset_query(scope: Scope) -> str:
    return f"""
        select case_code, unit_code, procedure_code, sector, received_date,
               original_due_date, statutory_due_date, due_date, terminal_date,
               terminal_date_fallback, procedure_version_nearest
        from marts.fct_cases
        where received_date <= make_date({scope.year}, 12, 31)
          and (terminal_date is null or terminal_date >= make_date({scope.year}, 1, 1))
    """


# A case without a due date although its procedure or appointment is known ran out of
# working days: the year named is the first the calendar lacks from its receipt year on
# (within the span of its dates, else after it). Delivered dates in uncovered years are
# staging.stg_raw__cases.calendar_covers_case_years' concern.
_MISSING_CALENDAR_YEARS = """
    with covered as (
        select distinct calendar_year as year from intermediate.int_calendar__days
    ),
    uncomputed as (
        select unit_code, case_code,
               extract(year from received_date)::int as first_year,
               extract(year from greatest(received_date, original_due_date, statutory_due_date,
                                          terminal_date))::int as last_year
        from {batch}
        where due_date is null and (sector is not null or original_due_date is not null)
    ),
    missing as (
        select unit_code, case_code,
               (select min(y.year) from generate_series(first_year, last_year + 100) as y(year)
                where y.year not in (select year from covered)) as year
        from uncomputed
    )
    select unit_code, year, count(*) as cases
    from missing
    group by unit_code, year
"""


def _checks(scope: Scope) -> list[Check]:
    return [
        Check(
            name="marts.fct_cases.calendar_covers_computed_dates",
            expectation=unexpected_rows(
                _MISSING_CALENDAR_YEARS,
                "every case whose procedure or appointment is known has a due date",
            ),
            failure_vi="lịch làm việc thiếu năm cần để tính hạn giải quyết của hồ sơ",
            failure_en="calendar years missing for the dates of cases (no due date computed)",
        ),
        Check(
            name="marts.fct_cases.procedure_version_nearest",
            expectation=unexpected_rows(
                """
                select unit_code, case_code, procedure_code, received_date
                from {batch}
                where procedure_version_nearest
                """,
                "every case has a procedure version in force on its receipt date",
            ),
            failure_vi="hồ sơ tính theo phiên bản thủ tục gần nhất (không có phiên bản "
                       "hiệu lực vào ngày tiếp nhận)",
            failure_en="cases computed with the nearest procedure version (none in force on "
                       "the receipt date)",
        ),
        Check(
            name="marts.fct_cases.terminal_date_fallback",
            expectation=unexpected_rows(
                """
                select unit_code, case_code, terminal_date
                from {batch}
                where terminal_date_fallback
                """,
                "every terminal case has NgayKetThucXuLy",
            ),
            failure_vi="hồ sơ thiếu ngày kết thúc xử lý, lấy ngày trả hoặc ngày cập nhật thay",
            failure_en="cases without NgayKetThucXuLy, terminal date taken from NgayTra or "
                       "NgayCapNhat",
        ),
    ]


SUITE = SuiteSpec(
    name="marts__fct_cases",
    version="1",
    asset_query=_asset_query,
    checks=_checks,
    index_columns=("unit_code", "case_code"),
)

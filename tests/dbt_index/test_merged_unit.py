"""A commune merged away keeps its cases (marts.md; issue #10 item 1), by a real `dbt build`.

Hand-made raw rows (merged_unit.sql): district D1 with communes C1 and C2; C1 ceased on
31 December 2023 (successor C2). Two of C1's cases were open across the merge:
- X: received Wed 2023-12-27, NgayHenTra Thu 2024-01-11 (27 Dec + 10 working days:
  28, 29 Dec, 2, 3, 4, 5, 8, 9, 10, 11 Jan; 1 Jan is a holiday), result Fri 2024-01-05
  -> EARLY, resolved in January; fee paid online, result digitised.
- Y: received Thu 2023-12-28 online, NgayHenTra Fri 2024-01-12 (29 Dec, 2-5, 8-12 Jan),
  returned Mon 2024-03-25 -> LATE, resolved in March. Apology Wed 2024-01-10 (deadline
  workday_add(12 Jan, -1) = Thu 11 Jan: timely), with reason and new date 29 Mar: compliant,
  new date kept. No fee, result digitised.
And one of C2's: Z received Thu 2024-02-01, due Thu 2024-02-22 (2, 5, 6, 7 Feb, Tết 8-14
Feb off, 15, 16, 19, 20, 21, 22), result 2024-02-22 -> ON_TIME; fee not paid online, result
not digitised. W (C2, received 2027) has no due date: the calendar ends in 2027.
"""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import psycopg
import pytest

from cchc import dbt_runner
from tests.dbt_index.kit import query

pytestmark = pytest.mark.slow

RAW_ROWS = Path(__file__).with_name("merged_unit.sql")
VARS = {"report_year": 2024}
BIEU06 = """received_total, received_online, received_direct_postal, carried_over,
    resolved_total, resolved_early, resolved_on_time, resolved_late,
    pending_total, pending_in_time, pending_overdue"""


@pytest.fixture(scope="module")
def merged_dsn(warehouse_dsn, tmp_path_factory) -> str:
    with psycopg.connect(warehouse_dsn, autocommit=True) as conn:
        conn.execute(RAW_ROWS.read_text(encoding="utf-8"))
    dbt_runner.run_dbt(["build"], warehouse_dsn, VARS,
                       target_path=tmp_path_factory.mktemp("dbt") / "target", quiet=True)
    return warehouse_dsn


def test_merged_commune_keeps_its_monthly_rows_while_it_has_cases(merged_dsn):
    rows = query(merged_dsn, f"""
        select period_year, period_month, {BIEU06} from marts.mart_on_time
        where unit_code = 'C1' and (period_year, period_month) >= (2023, 12)
        order by 1, 2""")
    assert rows == [
        # December: X direct, Y online received; both open at 31 Dec, due in January.
        (2023, 12, 2, 1, 1, 0, 0, 0, 0, 0, 2, 2, 0),
        # January: both carried over; X resolved early; Y open at 31 Jan, due 12 Jan: overdue.
        (2024, 1, 2, 0, 0, 2, 1, 1, 0, 0, 1, 0, 1),
        # February: Y carried over and still overdue at 29 Feb.
        (2024, 2, 1, 0, 0, 1, 0, 0, 0, 0, 1, 0, 1),
        # March: Y carried over and resolved late; nothing pending, so no row from April.
        (2024, 3, 1, 0, 0, 1, 1, 0, 0, 1, 0, 0, 0),
    ]


def test_merged_commune_yearly_rows(merged_dsn):
    rows = query(merged_dsn, f"""
        select unit_code, period_year, {BIEU06}, on_time_rate from marts.mart_on_time_yearly
        where period_year >= 2023 order by 1, 2""")
    assert rows == [
        ("C1", 2023, 2, 1, 1, 0, 0, 0, 0, 0, 2, 2, 0, None),
        # 2024: X and Y carried over, both resolved: (1 early + 0) / 2 = 50 %.
        ("C1", 2024, 2, 0, 0, 2, 2, 1, 0, 1, 0, 0, 0, Decimal(50)),
        ("C2", 2023, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, None),
        ("C2", 2024, 1, 0, 1, 0, 1, 0, 1, 0, 0, 0, 0, Decimal(100)),
        ("D1", 2023, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, None),
        ("D1", 2024, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, None),
    ]
    apologies = query(merged_dsn, """
        select late_cases, apology_issued, apology_timely, apology_complete, apology_compliant,
               new_date_kept, apology_compliance_rate
        from marts.mart_apology_letters_yearly where unit_code = 'C1' and period_year = 2024""")
    assert apologies == [(1, 1, 1, 1, 1, 1, Decimal(100))]


def test_identities_and_continuity_hold_on_every_row(merged_dsn):
    for table in ("mart_on_time", "mart_on_time_yearly"):
        broken = query(merged_dsn, f"""
            select unit_code, period_start from marts.{table}
            where received_total <> resolved_total + pending_total
               or received_total <> received_online + received_direct_postal + carried_over
               or resolved_total <> resolved_early + resolved_on_time + resolved_late
               or pending_total <> pending_in_time + pending_overdue""")
        assert broken == [], table
        # (11) of a period = (6) of the next, a missing next row counting as 0 carried over.
        discontinuous = query(merged_dsn, f"""
            select this.unit_code, this.period_start, this.pending_total, next.carried_over
            from marts.{table} as this
            left join marts.{table} as next
                on next.unit_code = this.unit_code and next.period_start = this.period_end + 1
            where this.period_end < date '2024-12-31'
              and this.pending_total <> coalesce(next.carried_over, 0)""")
        assert discontinuous == [], table


def test_district_index_counts_the_merged_communes_cases(merged_dsn):
    criteria = query(merged_dsn, """
        select criterion_code, round(measure_value, 4), points from marts.mart_par_index_criteria
        where ranking_unit_code = 'D1' and period_year = 2024 and source = 'computed'
        order by 1""")
    assert criteria == [
        # Terminal 9/10 in 2024: X, Y (digitised), Z (not): 2/3 = 66.6667 %; /80 % x 1.0 = 0.83.
        ("DVC_DIGITISED", Decimal("66.6667"), Decimal("0.83")),
        # Received in 2024 with FULL procedures: Z only, direct: 0 %.
        ("DVC_FULL_PROCESS", Decimal("0.0000"), Decimal("0.00")),
        # Received in 2024: Z only, direct: 0 %.
        ("DVC_ONLINE", Decimal("0.0000"), Decimal("0.00")),
        # Fee-bearing terminal cases: X paid online, Z not (Y none): 50 %; 50 / 80 = 0.625 -> 0.63.
        ("DVC_PAYMENT", Decimal("50.0000"), Decimal("0.63")),
        # Late cases: Y, compliant: 100 % -> 1.5.
        ("TTHC_APOLOGY", Decimal("100.0000"), Decimal("1.50")),
        # Pending overdue at 31 Dec: none, with 3 cases in Biểu 06 column (3): 0.5.
        ("TTHC_NO_OVERDUE", Decimal("0.0000"), Decimal("0.50")),
        # Resolved in 2024: X early, Y late, Z on time: 2/3 = 66.6667 % < 95 %: 0.
        ("TTHC_ON_TIME", Decimal("66.6667"), Decimal("0.00")),
    ]
    # The cases of the merged commune count for the district through the successor.
    assert query(merged_dsn, """
        select case_code, unit_code, ranking_unit_code from marts.fct_cases order by 1""") == [
        ("W", "C2", "D1"), ("X", "C1", "D1"), ("Y", "C1", "D1"), ("Z", "C2", "D1")]


def test_a_due_date_past_the_calendar_is_null_and_gives_no_timeliness(merged_dsn):
    # W: received Tue 2027-12-28, 10 working days run into 2028, which the default calendar
    # (2018-2027) lacks: no statutory or final due date, so no timeliness (not EARLY), and
    # the not_null_within_calendar test of fct_cases.due_date lets it through.
    assert query(merged_dsn, """
        select statutory_due_date, due_date, timeliness, working_days_late
        from marts.fct_cases where case_code = 'W'""") == [(None, None, None, None)]

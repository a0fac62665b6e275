"""A hand count: hand-made raw rows (hand_cases.sql) through a real `dbt build`.

Every expected value below was worked out by hand on the 2024 calendar (holidays 1 Jan,
8-14 Feb, 18 Apr, 29 Apr-1 May, 2-3 Sep; Saturday 4 May worked), cut-off 2024-12-31.
"""
from __future__ import annotations

import datetime as dt

import psycopg
import pytest

from cchc import warehouse
from tests.dbt.conftest import query

pytestmark = pytest.mark.slow

D = dt.date.fromisoformat

# case: due_date, timeliness, working_days_late, paused, supplements, apology_count, apology_timely
EXPECTED_CASES = {
    # Example 1: derived due Sat 4 May; result Mon 6 May: late by 1; no apology although required.
    "A": (D("2024-05-04"), "LATE", 1, 0, 0, 0, False),
    # Example 2: due Tue 20 Feb; finished 19 Feb: early; its apology needed none.
    "B": (D("2024-02-20"), "EARLY", None, 0, 0, 1, None),
    # Example 3: 11 Mar + 2 paused days (nested TAM_DUNG, orphan TIEP_TUC ignored) = 13 Mar.
    "C": (D("2024-03-13"), "ON_TIME", None, 2, 0, 0, None),
    # Example 4: due Wed 20 Mar, finished Fri 22: 2 days late; letter Tue 19 Mar is timely.
    "D": (D("2024-03-20"), "LATE", 2, 0, 0, 1, True),
    # Example 4: letter on Wed 20 Mar (the due date itself) is not timely; 1 day late.
    "E": (D("2024-03-20"), "LATE", 1, 0, 0, 1, False),
    # Example 5: two supplement requests, finished 2 working days early: late, 0 days.
    "F": (D("2024-06-10"), "LATE", 0, 0, 2, 0, None),
    # Reissued Mon 15 Jul; the pause before the reissue does not count, 9-10 Jul does: 16 Jul.
    "G": (D("2024-07-16"), "LATE", 1, 1, 1, 0, False),
    # Open at the cut-off, 0-day procedure due Fri 20 Dec: overdue, apology missing.
    "H": (D("2024-12-20"), None, None, 0, 0, 0, False),
    "I": (D("2024-06-25"), "EARLY", None, 0, 0, 0, None),
    # Open, due 5 Dec, waiting for supplements: within the deadline, no apology required.
    "J": (D("2024-12-05"), None, None, 0, 1, 0, None),
    "K": (D("2024-02-06"), "ON_TIME", None, 0, 0, 0, None),
    # Due Thu 29 Aug; finished Wed 4 Sep: (29 Aug, 4 Sep] = 30 Aug, 4 Sep (2-3 Sep off): 2.
    "N": (D("2024-08-29"), "LATE", 2, 0, 0, 0, False),
    # No version in force in 2024: the 2025 version (2 days): Tue 1 Oct + 2 = Thu 3 Oct.
    "O": (D("2024-10-03"), "ON_TIME", None, 0, 0, 0, None),
    # No NgayKetThucXuLy: terminal date from NgayTra (5 Nov), flagged.
    "Q": (D("2024-11-06"), "EARLY", None, 0, 0, 0, None),
    # Received 31 Jan 23:30 local (16:30 UTC).
    "R": (D("2024-02-05"), "EARLY", None, 0, 0, 0, None),
    "T": (D("2024-10-03"), "ON_TIME", None, 0, 1, 2, None),
}


def test_fct_cases_holds_accepted_cases_only(hand_warehouse):
    # L was rejected at the desk, M never accepted, Z only in a superseded delivery.
    codes = {row[0] for row in query(hand_warehouse, "select case_code from marts.fct_cases")}
    assert codes == set(EXPECTED_CASES)


def test_fct_cases_values_by_hand(hand_warehouse):
    rows = query(hand_warehouse, """
        select case_code, due_date, timeliness, working_days_late, paused_working_days,
               supplement_requests, apology_count, apology_timely
        from marts.fct_cases""")
    assert {row[0]: tuple(row[1:]) for row in rows} == EXPECTED_CASES


def test_fct_cases_dates_flags_and_lineage(hand_warehouse):
    rows = query(hand_warehouse, """
        select case_code, channel, received_date, statutory_due_date, padding_working_days,
               due_date_derived, terminal_date, terminal_date_fallback, procedure_version_nearest,
               transferred_to, ranking_unit_code, status_code, last_load_id
        from marts.fct_cases where case_code in ('A', 'C', 'F', 'G', 'I', 'N', 'O', 'Q', 'R')""")
    assert {row[0]: tuple(row[1:]) for row in rows} == {
        # Newest snapshot of A is the loaded one (load 2), not the superseded load 4's.
        "A": ("ONLINE", D("2024-04-26"), D("2024-05-04"), None, True, D("2024-05-06"), False, False, None, "S1", 9, 2),
        # Statutory: Fri 1 Mar + 5 = Fri 8 Mar; NgayHenTra Mon 11 Mar: padded by 1.
        "C": ("DIRECT", D("2024-03-01"), D("2024-03-08"), 1, False, D("2024-03-13"), False, False, None, "S1", 10, 2),
        # KenhThucHien missing -> DIRECT.
        "F": ("DIRECT", D("2024-06-03"), D("2024-06-10"), 0, False, D("2024-06-06"), False, False, None, "S1", 9, 2),
        # From 1 Jul the 7-day version: 2,3,4,5,8,9,10 Jul.
        "G": ("DIRECT", D("2024-07-01"), D("2024-07-10"), 0, False, D("2024-07-17"), False, False, None, "S1", 9, 2),
        # C1 merged into C2 on 30 Jun; C2 is a commune of D1.
        "I": ("DIRECT", D("2024-06-20"), D("2024-06-25"), 0, False, D("2024-06-24"), False, False, None, "D1", 9, 2),
        "N": ("POSTAL", D("2024-08-26"), D("2024-08-29"), 0, False, D("2024-09-04"), False, False, "C2", "D1", 9, 2),
        "O": ("DIRECT", D("2024-10-01"), D("2024-10-03"), None, True, D("2024-10-03"), False, True, None, "S1", 9, 2),
        "Q": ("DIRECT", D("2024-11-01"), D("2024-11-06"), 0, False, D("2024-11-05"), True, False, None, "D1", 10, 2),
        "R": ("DIRECT", D("2024-01-31"), D("2024-02-05"), 0, False, D("2024-02-02"), False, False, None, "D1", 9, 2),
    }


def test_applicant_key_hides_the_id_but_counts_repeats(hand_warehouse):
    rows = query(hand_warehouse, "select case_code, applicant_key from marts.fct_cases where case_code in ('A', 'C', 'D')")
    keys = dict(rows)
    assert keys["A"] == keys["C"] != keys["D"]  # A and C share applicant 001
    assert len(keys["A"]) == 64 and "001" not in keys["A"]


def test_overdue_cases_by_hand(hand_warehouse):
    rows = query(hand_warehouse, """
        select case_code, due_date, terminal_date, working_days_overdue, holder_unit_at_due,
               apology_required, apology_issued, apology_compliant, as_of_date
        from marts.mart_overdue_cases""")
    cut = D("2024-12-31")
    assert {row[0]: tuple(row[1:]) for row in rows} == {
        "A": (D("2024-05-04"), D("2024-05-06"), 1, "S1", True, False, False, cut),
        "D": (D("2024-03-20"), D("2024-03-22"), 2, "S1", True, True, True, cut),
        "E": (D("2024-03-20"), D("2024-03-21"), 1, "S1", True, True, False, cut),
        # Late only by the supplement rule: 0 days, no apology required.
        "F": (D("2024-06-10"), D("2024-06-06"), 0, "S1", False, False, None, cut),
        "G": (D("2024-07-16"), D("2024-07-17"), 1, "S1", True, False, False, cut),
        # Open: (20 Dec, 31 Dec] = 23, 24, 25, 26, 27, 30, 31 Dec: 7 working days.
        "H": (D("2024-12-20"), None, 7, "C2", True, False, False, cut),
        # Transferred to S1 on 27 Aug (before the due date 29 Aug) and to C2 on 30 Aug (after).
        "N": (D("2024-08-29"), D("2024-09-04"), 2, "S1", True, False, False, cut),
    }


# unit, month: (3), (4), (5), (6), (7), (8), (9), (10), (11), (12), (13), rejected
EXPECTED_ON_TIME_NONZERO = {
    ("C1", 6): (1, 0, 1, 0, 1, 1, 0, 0, 0, 0, 0, 0),   # I
    ("C2", 9): (1, 0, 1, 0, 0, 0, 0, 0, 1, 1, 0, 0),   # T received 30 Sep, open at 30 Sep
    ("C2", 10): (1, 0, 0, 1, 1, 0, 1, 0, 0, 0, 0, 0),  # T resolved on time 3 Oct
    ("C2", 12): (1, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1, 0),  # H open and overdue at 31 Dec
    ("D1", 1): (2, 0, 2, 0, 0, 0, 0, 0, 2, 2, 0, 0),   # K, R (received 31 Jan local) open at 31 Jan
    ("D1", 2): (2, 0, 0, 2, 2, 1, 1, 0, 0, 0, 0, 0),   # R early, K on time
    ("D1", 4): (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1),   # L rejected at the desk
    ("D1", 8): (1, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1, 0),   # N overdue at 31 Aug (due 29 Aug)
    ("D1", 9): (1, 0, 0, 1, 1, 0, 0, 1, 0, 0, 0, 0),   # N late
    ("D1", 11): (1, 0, 1, 0, 1, 1, 0, 0, 0, 0, 0, 0),  # Q
    ("D1", 12): (1, 1, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0),  # J waiting for supplements: in time
    ("S1", 2): (1, 0, 1, 0, 1, 1, 0, 0, 0, 0, 0, 0),   # B
    ("S1", 3): (3, 2, 1, 0, 3, 0, 1, 2, 0, 0, 0, 0),   # C on time; D, E late
    ("S1", 4): (1, 1, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0),   # A open at 30 Apr, due 4 May
    ("S1", 5): (1, 0, 0, 1, 1, 0, 0, 1, 0, 0, 0, 0),   # A late
    ("S1", 6): (1, 0, 1, 0, 1, 0, 0, 1, 0, 0, 0, 0),   # F late by the supplement rule
    ("S1", 7): (1, 0, 1, 0, 1, 0, 0, 1, 0, 0, 0, 0),   # G
    ("S1", 10): (1, 0, 1, 0, 1, 0, 1, 0, 0, 0, 0, 0),  # O
}


def test_mart_on_time_monthly_by_hand(hand_warehouse):
    rows = query(hand_warehouse, """
        select unit_code, period_month, received_total, received_online, received_direct_postal,
               carried_over, resolved_total, resolved_early, resolved_on_time, resolved_late,
               pending_total, pending_in_time, pending_overdue, rejected_at_desk
        from marts.mart_on_time where period_year = 2024""")
    # Every unit in force in a month has a row: D1, C2, S1 x 12, C1 x 6 (merged 30 Jun).
    assert len(rows) == 3 * 12 + 6
    nonzero = {(r[0], r[1]): tuple(r[2:]) for r in rows if any(r[2:])}
    assert nonzero == EXPECTED_ON_TIME_NONZERO


def test_mart_on_time_rates(hand_warehouse):
    rows = query(hand_warehouse, """
        select unit_code, period_month, on_time_rate, on_time_rate_766
        from marts.mart_on_time where (unit_code, period_month) in (('S1', 3), ('S1', 4), ('S1', 1))""")
    rates = {(r[0], r[1]): (r[2], r[3]) for r in rows}
    assert float(rates[("S1", 3)][0]) == pytest.approx(100 / 3)  # 1 of 3, unrounded
    assert rates[("S1", 4)] == (None, 100)  # nothing resolved: null, never 0 or 100
    assert rates[("S1", 1)] == (None, None)


def test_mart_on_time_yearly_by_hand(hand_warehouse):
    rows = query(hand_warehouse, """
        select unit_code, received_total, carried_over, resolved_total, resolved_early,
               resolved_on_time, resolved_late, pending_total, pending_in_time, pending_overdue,
               rejected_at_desk, on_time_rate
        from marts.mart_on_time_yearly where period_year = 2024""")
    assert {r[0]: tuple(r[1:]) for r in rows} == {
        "C1": (1, 0, 1, 1, 0, 0, 0, 0, 0, 0, 100),
        "C2": (2, 0, 1, 0, 1, 0, 1, 0, 1, 0, 100),
        "D1": (5, 0, 4, 2, 1, 1, 1, 1, 0, 1, 75),
        "S1": (8, 0, 8, 1, 2, 5, 0, 0, 0, 0, 37.5),
    }


def test_mart_overdue_by_hand(hand_warehouse):
    rows = query(hand_warehouse, """
        select unit_code, resolved_late, pending_overdue, working_days_late_total,
               working_days_late_max, late_by_supplement_rule, padded_appointments
        from marts.mart_overdue_yearly where period_year = 2024""")
    assert {r[0]: tuple(r[1:]) for r in rows} == {
        "C1": (0, 0, 0, None, 0, 0),
        "C2": (0, 1, 0, None, 0, 0),
        "D1": (1, 0, 2, 2, 0, 0),
        # A 1 + D 2 + E 1 + F 0 + G 1; F by the supplement rule; C padded.
        "S1": (5, 0, 5, 2, 1, 1),
    }


def test_mart_apology_letters_by_hand(hand_warehouse):
    rows = query(hand_warehouse, """
        select unit_code, late_cases, apology_issued, apology_timely, apology_complete,
               apology_compliant, multiple_reappointments, new_date_kept, unnecessary_apologies,
               apology_rate, apology_compliance_rate
        from marts.mart_apology_letters_yearly where period_year = 2024""")
    got = {r[0]: tuple(r[1:]) for r in rows}
    assert got["C1"] == (0, 0, 0, 0, 0, 0, 0, 0, None, None)
    # T: two letters although on time: unnecessary (counted once).
    assert got["C2"] == (0, 0, 0, 0, 0, 0, 0, 1, None, None)
    assert got["D1"] == (1, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    # Late by date: A, D, E, G (F is late only by the supplement rule). D compliant, E late
    # letter; both kept their new date (22 <= 25 Mar, 21 <= 22 Mar). B's letter unnecessary.
    assert got["S1"][:8] == (4, 2, 1, 2, 1, 0, 2, 1)
    assert float(got["S1"][8]) == 50 and float(got["S1"][9]) == 25


def test_load_audit_is_a_current_view(hand_warehouse):
    rows = query(hand_warehouse, "select load_id, status, reason from marts.load_audit order by load_id")
    assert [r[1] for r in rows] == ["loaded", "loaded", "loaded", "superseded", "not_loaded"]
    assert rows[4][2] == "no .ok file"
    with warehouse.connect(hand_warehouse) as conn:  # no rebuild: the view reads raw at query time
        conn.execute("update raw.deliveries set reason = 'still no .ok file' where load_id = 5")
    assert query(hand_warehouse, "select reason from marts.load_audit where load_id = 5") == [
        ("still no .ok file",)
    ]


CORE_MARTS = [
    "fct_cases", "mart_overdue_cases", "dim_units", "dim_procedures", "mart_on_time", "mart_on_time_yearly",
    "mart_overdue", "mart_overdue_yearly", "mart_apology_letters", "mart_apology_letters_yearly",
    "load_audit", "quality_results", "quality_waivers", "quality_completeness",
]


def test_dim_procedures_lists_every_version_with_its_name(hand_warehouse):
    # hand_cases.sql: P5 changed on 2024-07-01 (5 → 7 days, PARTIAL → FULL), so two rows.
    rows = query(hand_warehouse, """
        select procedure_code, procedure_name, sector, statutory_days, online_level,
               valid_from, valid_to
        from marts.dim_procedures order by procedure_code, valid_from""")
    assert [r[0] for r in rows] == ["P0", "P3", "P5", "P5", "P9"]
    assert rows[2][1:] == ("Cấp phép xây dựng", "Xây dựng", 5, "PARTIAL",
                           dt.date(2018, 1, 1), dt.date(2024, 6, 30))
    assert rows[3][3:] == (7, "FULL", dt.date(2024, 7, 1), None)


def test_inspector_reads_marts_and_nothing_below(hand_warehouse):
    rows = query(hand_warehouse, """
        select table_schema, table_name,
               has_table_privilege('inspector', format('%%I.%%I', table_schema, table_name), 'select')
        from information_schema.tables
        where table_schema in ('raw', 'staging', 'intermediate', 'marts')""", ())
    allowed = {(schema, table) for schema, table, ok in rows if ok}
    assert {("marts", name) for name in CORE_MARTS} <= allowed
    assert not {(schema, table) for schema, table in allowed if schema != "marts"}


def test_the_report_reads_waivers_from_marts_without_reading_quality(hand_warehouse):
    """#14 item 7: a waiver recorded as the checker is in marts.quality_waivers the moment
    it is written, with who, why and until when; the reporter reads it there and is
    refused the quality schema itself."""
    from expectations.store import add_waiver

    until = dt.date.today() + dt.timedelta(days=90)
    waiver = add_waiver(warehouse.login_dsn(hand_warehouse, "checker"),
                        "quality.completeness.monthly_deliveries", 2024, "Giám đốc Sở Nội vụ",
                        "Đơn vị sáp nhập giữa năm", until, unit_code="C1")
    reporter = warehouse.login_dsn(hand_warehouse, "reporter")
    assert query(reporter, "select waived_by, waiver_reason, valid_until, unit_code"
                           " from marts.quality_waivers where waiver_id = %s",
                 (waiver.waiver_id,)) == [
        ("Giám đốc Sở Nội vụ", "Đơn vị sáp nhập giữa năm", until, "C1")]
    for relation in ("quality.waivers", "quality.check_results", "quality.completeness"):
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            query(reporter, f"select 1 from {relation} limit 1")


def test_delivered_calendar_replaces_the_default_for_its_years(hand_warehouse):
    rows = query(hand_warehouse, """
        select calendar_date, is_working_day, calendar_source
        from intermediate.int_calendar__days
        where calendar_date in ('2024-04-30', '2024-05-04', '2025-01-01', '2025-04-26',
                                '2025-04-30', '2025-05-03', '2030-01-01', '2030-01-02')""")
    assert {r[0]: (r[1], r[2]) for r in rows} == {
        D("2024-04-30"): (False, "default"),    # default holiday
        D("2024-05-04"): (True, "default"),     # default make-up Saturday
        D("2025-01-01"): (False, "delivered"),
        D("2025-04-26"): (False, "delivered"),  # the default's make-up Saturday is gone
        D("2025-04-30"): (True, "delivered"),   # the default's holiday is gone
        D("2025-05-03"): (True, "delivered"),
        D("2030-01-01"): (False, "delivered"),
        D("2030-01-02"): (True, "delivered"),
    }
    years = query(hand_warehouse, "select distinct calendar_year from intermediate.int_calendar__days order by 1")
    assert [y for (y,) in years] == [*range(2018, 2028), 2030]

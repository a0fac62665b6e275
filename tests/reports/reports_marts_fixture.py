"""The published marts as the report reads them, built by hand in a real database.

The tables carry exactly the columns of marts.md (plus `marts.dim_units` and the quality
marts of the annex). The rows describe a small province: three departments, three
districts, one commune and one commune merged into it, for 2025 with ranks of 2024.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import psycopg

BIEU06 = """received_total int, received_online int, received_direct_postal int,
    carried_over int, resolved_total int, resolved_early int, resolved_on_time int,
    resolved_late int, pending_total int, pending_in_time int, pending_overdue int,
    on_time_rate numeric, on_time_rate_766 numeric, rejected_at_desk int"""
OVERDUE = """resolved_late int, pending_overdue int, working_days_late_total int,
    working_days_late_max int, late_by_supplement_rule int, padded_appointments int"""
APOLOGY = """late_cases int, apology_issued int, apology_timely int, apology_complete int,
    apology_compliant int, multiple_reappointments int, new_date_kept int,
    unnecessary_apologies int, apology_rate numeric, apology_compliance_rate numeric"""
ONLINE = """received_total int, received_online int, received_postal int,
    received_capable int, received_online_capable int, received_full_process int,
    received_online_full_process int, fee_cases int, paid_online int,
    resolved_with_result int, digitised_results int, rated int, rated_satisfied int,
    online_rate numeric, online_rate_capable numeric, full_process_online_rate numeric,
    postal_rate numeric, online_payment_rate numeric, digitised_result_rate numeric,
    rating_satisfaction_rate numeric"""

DDL = f"""
create schema if not exists marts;
create table marts.dim_units (unit_code text, unit_name text, unit_kind text,
    parent_code text, valid_from date, valid_to date, successor_code text);
create table marts.dim_procedures (procedure_code text, procedure_name text, sector text,
    authority_level text, statutory_days int, online_level text, valid_from date,
    valid_to date);
create table marts.mart_on_time (unit_code text, period_year int, period_month int, {BIEU06});
create table marts.mart_on_time_yearly (unit_code text, period_year int, {BIEU06});
create table marts.mart_overdue (unit_code text, period_year int, period_month int, {OVERDUE});
create table marts.mart_overdue_yearly (unit_code text, period_year int, {OVERDUE});
create table marts.mart_apology_letters (unit_code text, period_year int, period_month int,
    {APOLOGY});
create table marts.mart_apology_letters_yearly (unit_code text, period_year int, {APOLOGY});
create table marts.mart_online_service_rate (unit_code text, period_year int,
    period_month int, {ONLINE});
create table marts.mart_online_service_rate_yearly (unit_code text, period_year int, {ONLINE});
create table marts.mart_overdue_cases (case_code text, unit_code text, procedure_code text,
    sector text, received_date date, due_date date, terminal_date date,
    working_days_overdue int, holder_unit_at_due text, apology_required boolean,
    apology_issued boolean, apology_compliant boolean, as_of_date date);
create table marts.mart_par_index_criteria (ranking_unit_code text, period_year int,
    criterion_code text, measure_value numeric, points numeric, max_points numeric,
    source text, methodology_version text);
create table marts.mart_par_index (ranking_unit_code text, period_year int, league text,
    computed_points numeric, appraisal_points numeric, survey_points numeric,
    satisfaction_points numeric, total_score numeric, rank int, previous_rank int,
    rank_change int, classification text, methodology_version text);
create table marts.load_audit (load_id bigint, source_kind text, unit_code text,
    delivery text, received_at timestamptz, rows_read int, rows_loaded int,
    rows_quarantined int, status text, content_hash text);
create table marts.quality_results (run_id uuid, checked_at timestamptz, suite text,
    "check" text, passed boolean, observed numeric, severity text);
create table marts.quality_completeness (run_id uuid, period_year int, period_month int,
    unit_code text, feed_unit_code text, feed_kind text, carried boolean, in_force_from date,
    in_force_to date, deliveries_expected int, deliveries_received int, deliveries_loaded int,
    rows_quarantined int, last_delivery_at timestamptz, complete boolean, status text,
    files_landed int);
create table marts.quality_waivers (waiver_id bigint, "check" text, unit_code text,
    report_year int, waived_by text, waiver_reason text, valid_until date,
    created_at timestamptz);
"""
RUN_ID = "6f1c2a52-5a8e-4d0b-9a57-3c1d2e4f5a60"

YEAR = 2025
METHODOLOGY = "766-2025.1"

UNITS = [
    # code, name, kind, parent, valid_to, successor
    ("SNV", "Sở Nội vụ", "DEPARTMENT", None, None, None),
    ("STP", "Sở Tư pháp", "DEPARTMENT", None, None, None),
    ("SXD", "Sở Xây dựng", "DEPARTMENT", None, None, None),
    ("H01", "UBND huyện Bình Gia", "DISTRICT", None, None, None),
    ("H02", "UBND huyện Tân Minh", "DISTRICT", None, None, None),
    ("H03", "UBND thành phố Hồng Bàng", "DISTRICT", None, None, None),
    ("X0101", "UBND xã Xuân Dục", "COMMUNE", "H01", None, None),
    ("X0102", "UBND xã Thượng Đức", "COMMUNE", "H01", dt.date(2025, 6, 30), "X0101"),
]

# ranking unit, league, computed, appraisal, survey, satisfaction, total, rank, previous
LEAGUE = [
    ("STP", "DEPARTMENTS", "9.50", "56.04", "8.50", "16.50", "90.54", 1, 3),
    ("SNV", "DEPARTMENTS", "9.00", "56.03", "8.00", "17.00", "90.03", 2, 1),
    ("SXD", "DEPARTMENTS", "8.53", "56.50", "8.00", "17.00", "90.03", 2, 2),
    ("H01", "DISTRICTS", "8.00", "55.00", "7.00", "15.00", "85.00", 1, 5),
    ("H02", "DISTRICTS", "7.00", "50.00", "7.50", "15.00", "79.50", 2, 1),
    ("H03", "DISTRICTS", "6.00", "45.00", "6.00", "12.00", "69.00", 3, None),
]


def classification(total: Decimal) -> str:
    for floor, label in ((90, "Xuất sắc"), (80, "Tốt"), (70, "Khá"), (50, "Trung bình")):
        if total >= floor:
            return label
    return "Yếu"


def bieu06_row(
    online: int, direct: int, carried: int, early: int, on_time: int, late: int, overdue: int
) -> dict:
    """A period row that satisfies the identities of rules.md §6."""
    received = online + direct + carried
    resolved = early + on_time + late
    pending = received - resolved
    return {
        "received_total": received,
        "received_online": online,
        "received_direct_postal": direct,
        "carried_over": carried,
        "resolved_total": resolved,
        "resolved_early": early,
        "resolved_on_time": on_time,
        "resolved_late": late,
        "pending_total": pending,
        "pending_in_time": pending - overdue,
        "pending_overdue": overdue,
        "on_time_rate": None if resolved == 0 else Decimal(early + on_time) * 100 / resolved,
        "on_time_rate_766": None
        if received == 0
        else Decimal(early + on_time + pending - overdue) * 100 / received,
        "rejected_at_desk": 0,
    }


# unit → (online, direct, carried, early, on_time, late, overdue) for the year
UNIT_YEARS = {
    "SNV": (120, 80, 5, 150, 40, 5, 0),
    "STP": (300, 100, 10, 380, 28, 0, 0),
    "SXD": (50, 150, 0, 170, 20, 6, 2),
    "H01": (400, 600, 20, 900, 90, 10, 3),
    "X0101": (30, 70, 0, 90, 8, 2, 0),
    "X0102": (5, 10, 0, 12, 3, 0, 0),
    "H02": (100, 300, 15, 380, 20, 5, 1),
    "H03": (0, 0, 0, 0, 0, 0, 0),
}


def insert(conn: psycopg.Connection, table: str, rows: list[dict]) -> None:
    columns = list(rows[0])
    placeholders = ", ".join(["%s"] * len(columns))
    quoted = ", ".join(f'"{c}"' for c in columns)
    with conn.cursor() as cur:
        cur.executemany(
            f"insert into {table} ({quoted}) values ({placeholders})",
            [[row[c] for c in columns] for row in rows],
        )


def _criteria_rows() -> list[dict]:
    rows = []
    for unit, *_ in LEAGUE:
        online, direct, _carried, early, on_time, late, overdue = UNIT_YEARS[unit]
        resolved = early + on_time + late
        measures = {
            "TTHC_ON_TIME": None if resolved == 0 else Decimal(early + on_time) * 100 / resolved,
            "DVC_ONLINE": None
            if online + direct == 0
            else Decimal(online) * 100 / (online + direct),
            "TTHC_NO_OVERDUE": Decimal(overdue),
        }
        for code, measure in measures.items():
            rows.append(
                {
                    "ranking_unit_code": unit,
                    "period_year": YEAR,
                    "criterion_code": code,
                    "measure_value": measure,
                    "points": Decimal("1.00"),
                    "max_points": Decimal("3.00"),
                    "source": "computed",
                    "methodology_version": METHODOLOGY,
                }
            )
        rows.append(
            {
                "ranking_unit_code": unit,
                "period_year": YEAR,
                "criterion_code": "SURVEY",
                "measure_value": None,
                "points": Decimal("8.00"),
                "max_points": Decimal("10.00"),
                "source": "appraisal",
                "methodology_version": METHODOLOGY,
            }
        )
    return rows


def monthly_rows(unit: str) -> list[dict]:
    """Twelve months that add up to nothing in particular: the report shows them as given."""
    rows = []
    for month in range(1, 13):
        row = bieu06_row(month, 10, 2 if month > 1 else 0, 8, 3, int(month % 3 == 0), 0)
        rows.append({"unit_code": unit, "period_year": YEAR, "period_month": month, **row})
    return rows


def create_marts(conn: psycopg.Connection) -> None:
    """The marts tables."""
    conn.execute(DDL)


def load_province(conn: psycopg.Connection) -> None:
    """Insert the hand-made province of 2025 into the marts created by `create_marts`."""
    insert(
        conn,
        "marts.dim_units",
        [
            {
                "unit_code": code,
                "unit_name": name,
                "unit_kind": kind,
                "parent_code": parent,
                "valid_from": dt.date(2018, 1, 1),
                "valid_to": valid_to,
                "successor_code": successor,
            }
            for code, name, kind, parent, valid_to, successor in UNITS
        ],
    )
    insert(
        conn,
        "marts.mart_par_index",
        [
            {
                "ranking_unit_code": unit,
                "period_year": YEAR,
                "league": league,
                "computed_points": Decimal(c),
                "appraisal_points": Decimal(a),
                "survey_points": Decimal(s),
                "satisfaction_points": Decimal(sat),
                "total_score": Decimal(total),
                "rank": rank,
                "previous_rank": previous,
                "rank_change": None if previous is None else previous - rank,
                "classification": classification(Decimal(total)),
                "methodology_version": METHODOLOGY,
            }
            for unit, league, c, a, s, sat, total, rank, previous in LEAGUE
        ],
    )
    insert(conn, "marts.mart_par_index_criteria", _criteria_rows())
    insert(
        conn,
        "marts.mart_on_time_yearly",
        [
            {"unit_code": unit, "period_year": YEAR, **bieu06_row(*values)}
            for unit, values in UNIT_YEARS.items()
        ],
    )
    insert(conn, "marts.mart_on_time", [r for u in ("SNV", "H01") for r in monthly_rows(u)])
    insert(
        conn,
        "marts.mart_apology_letters_yearly",
        [
            {
                "unit_code": unit,
                "period_year": YEAR,
                "late_cases": values[5],
                "apology_issued": values[5],
                "apology_timely": values[5] // 2,
                "apology_complete": values[5],
                "apology_compliant": values[5] // 2,
                "multiple_reappointments": 0,
                "new_date_kept": values[5],
                "unnecessary_apologies": 0,
                "apology_rate": None if values[5] == 0 else Decimal(100),
                "apology_compliance_rate": None
                if values[5] == 0
                else Decimal(values[5] // 2) * 100 / values[5],
            }
            for unit, values in UNIT_YEARS.items()
        ],
    )
    insert(
        conn,
        "marts.mart_overdue_yearly",
        [
            {
                "unit_code": unit,
                "period_year": YEAR,
                "resolved_late": values[5],
                "pending_overdue": values[6],
                "working_days_late_total": values[5] * 2,
                "working_days_late_max": None if values[5] == 0 else 4,
                "late_by_supplement_rule": 0,
                "padded_appointments": 7 if unit == "H01" else 0,
            }
            for unit, values in UNIT_YEARS.items()
        ],
    )
    insert(
        conn,
        "marts.mart_online_service_rate_yearly",
        [
            {
                "unit_code": unit,
                "period_year": YEAR,
                "received_total": v[0] + v[1],
                "received_online": v[0],
                "received_postal": 0,
                "received_capable": v[0] + v[1],
                "received_online_capable": v[0],
                "received_full_process": 0,
                "received_online_full_process": 0,
                "fee_cases": 0,
                "paid_online": 0,
                "resolved_with_result": 0,
                "digitised_results": 0,
                "rated": 0,
                "rated_satisfied": 0,
                "online_rate": None if v[0] + v[1] == 0 else Decimal(v[0]) * 100 / (v[0] + v[1]),
                "online_rate_capable": None,
                "full_process_online_rate": None,
                "postal_rate": None,
                "online_payment_rate": None,
                "digitised_result_rate": None,
                "rating_satisfaction_rate": None,
            }
            for unit, v in UNIT_YEARS.items()
        ],
    )
    insert(
        conn,
        "marts.dim_procedures",
        [
            {
                "procedure_code": code,
                "procedure_name": name,
                "sector": "Đất đai",
                "authority_level": "DISTRICT",
                "statutory_days": days,
                "online_level": "PARTIAL",
                "valid_from": valid_from,
                "valid_to": valid_to,
            }
            # 1.001234 was renamed on 1 July 2025: the report prints the name at the cut-off.
            for code, name, days, valid_from, valid_to in (
                ("1.001234", "Đăng ký đất đai lần đầu", 20, dt.date(2018, 1, 1),
                 dt.date(2025, 6, 30)),
                ("1.001234", "Đăng ký đất đai, tài sản gắn liền với đất lần đầu", 15,
                 dt.date(2025, 7, 1), None),
            )
        ],
    )
    insert(
        conn,
        "marts.mart_overdue_cases",
        [
            {
                "case_code": f"H01-{n}",
                "unit_code": "H01",
                "procedure_code": procedure,
                "sector": "Đất đai",
                "received_date": dt.date(2025, 3, 2),
                "due_date": dt.date(2025, 3, 20),
                "terminal_date": dt.date(2025, 3, 25),
                "working_days_overdue": 3,
                "holder_unit_at_due": "H01",
                "apology_required": True,
                "apology_issued": True,
                "apology_compliant": n % 2 == 0,
                "as_of_date": dt.date(2025, 12, 31),
            }
            for n, procedure in enumerate(["1.001234", "1.001234", "1.001234", "2.000567"])
        ],
    )
    insert(
        conn,
        "marts.load_audit",
        [
            {
                "load_id": load_id,
                "source_kind": "csv",
                "unit_code": "H01",
                "delivery": f"H01_{load_id}.csv",
                "content_hash": f"{load_id:064x}",
                "received_at": dt.datetime(2026, 1, 5, tzinfo=dt.UTC),
                "rows_read": 10,
                "rows_loaded": 10,
                "rows_quarantined": 0,
                "status": status,
            }
            for load_id, status in ((1, "superseded"), (2, "loaded"), (3, "loaded"))
        ],
    )
    insert(
        conn,
        "marts.quality_results",
        [
            {
                "run_id": RUN_ID,
                "checked_at": dt.datetime(2026, 1, 6, tzinfo=dt.UTC),
                "suite": suite,
                "check": f"{suite.replace('__', '.', 1)}.{check}",
                "passed": passed,
                "observed": observed,
                "severity": severity,
            }
            for suite, check, passed, observed, severity in (
                ("raw__case_snapshots", "required_fields", True, 0, "blocking"),
                ("raw__case_snapshots", "duplicate_case_in_delivery", False, 4, "warning"),
                ("staging__stg_raw__cases", "appointment_not_before_receipt", False, 3, "blocking"),
            )
        ],
    )
    insert(
        conn,
        "marts.quality_completeness",
        [
            {
                "run_id": RUN_ID,
                "period_year": YEAR,
                "period_month": month,
                "unit_code": unit,
                "feed_unit_code": unit,
                "feed_kind": "csv",
                "carried": False,
                "in_force_from": dt.date(YEAR, month, 1),
                "in_force_to": dt.date(YEAR, month, 28),
                "deliveries_expected": 20,
                "deliveries_received": 20,
                "deliveries_loaded": 20,
                "rows_quarantined": 0,
                "complete": (unit, month) != ("H02", 7),
                "status": "complete" if (unit, month) != ("H02", 7) else "missing",
            }
            for unit in ("H01", "H02")
            for month in range(1, 13)
        ],
    )
    insert(
        conn,
        "marts.quality_waivers",
        [
            {
                "waiver_id": 1,
                "check": "staging.stg_raw__cases.appointment_not_before_receipt",
                "unit_code": "H02",
                "report_year": YEAR,
                "waived_by": "Phó Giám đốc Sở Nội vụ",
                "waiver_reason": "Phần mềm một cửa lỗi đồng bộ tháng 7",
                "valid_until": dt.date(2026, 3, 31),
                "created_at": dt.datetime(2026, 1, 6, tzinfo=dt.UTC),
            },
        ],
    )


def build_province(dsn: str) -> str:
    """The hand-made marts holding the province of 2025, in database `dsn`; returns `dsn`."""
    with psycopg.connect(dsn) as conn:
        create_marts(conn)
        load_province(conn)
    return dsn


def record_passing_run(conn: psycopg.Connection) -> None:
    """A quality run for 2025 whose one blocking check passed: the gate is open."""
    conn.execute(
        """insert into quality.check_results (run_id, checked_at, suite, "check", passed,
               observed, severity, report_year, suite_version, message_vi, message_en)
           values (%s, now(), 'raw__case_snapshots', 'raw.case_snapshots.required_fields', true, 0,
                   'blocking', 2025, '1', 'đạt', 'passed')""",
        (uuid.uuid4(),),
    )

"""Incremental runs recompute exactly the changed cases: their marts equal a full refresh.

The hand-made warehouse is built, then receives what a real day brings — a new
snapshot that closes a case, a new case, a late event, and a re-sent file that
supersedes an earlier delivery and retracts one case — and is built incrementally;
every published table must then equal what a full refresh gives. The same holds when
only the cut-off date moves.
"""
from __future__ import annotations

import pytest

from cchc import warehouse
from tests.dbt.conftest import HAND_CASES_SQL, build_core, query

pytestmark = pytest.mark.slow

PUBLISHED = [
    "fct_cases", "mart_overdue_cases", "mart_on_time", "mart_on_time_yearly", "mart_overdue",
    "mart_overdue_yearly", "mart_apology_letters", "mart_apology_letters_yearly",
]

NEXT_DAY_SQL = """
insert into raw.deliveries (load_id, source_kind, feed_unit_code, delivery, record_kind, delivery_day, status, rows_read, rows_loaded, rows_quarantined)
overriding system value values
    (6, 'csv', 'H99.S01', 'hoso_20241210.csv', 'cases_and_events', '2024-12-10', 'loaded', 3, 3, 0),
    (7, 'csv', 'H99.S01', 'hoso_20240101.csv', 'cases', '2024-12-31', 'loaded', 18, 18, 0);
-- J's supplements arrived and it was finished; U is new; H got an apology.
insert into raw.case_snapshots (load_id, record_no, case_code, unit_code, procedure_code, channel, received_at, appointment_at, terminal_at, returned_at, status_code, applicant_id, updated_at) values
    (6, 1, 'J', 'D1', 'P3', 2, '2024-12-02 09:00+07', '2024-12-05 17:00+07', '2024-12-10 10:00+07', null, 9, '009', '2024-12-10 10:00+07'),
    (6, 2, 'U', 'S1', 'P3', 1, '2024-12-16 09:00+07', '2024-12-19 17:00+07', null, null, 4, '019', '2024-12-16 09:00+07');
insert into raw.case_events (load_id, record_no, event_no, case_code, event_type, event_at, new_appointment_at, receiving_unit_code, reason) values
    (6, 3, 0, 'H', 'XIN_LOI', '2024-12-23 09:00+07', '2025-01-03 17:00+07', null, 'Thiếu cán bộ');
-- The case file of load 2 sent again without T: load 2 is superseded, T retracted.
insert into raw.case_snapshots
select 7, record_no, case_code, unit_code, procedure_code, channel, received_at, appointment_at,
       terminal_at, returned_at, status_code, applicant_type, applicant_id, applicant_name,
       applicant_phone, paid_online, result_digitised, rating, updated_at
from raw.case_snapshots where load_id = 2 and case_code <> 'T';
update raw.deliveries set status = 'superseded', superseded_by = 7 where load_id = 2;
"""


def published_tables(dsn: str) -> dict[str, list[tuple]]:
    """Every row of every published case table, in a canonical order."""
    return {name: sorted(query(dsn, f"select * from marts.{name}"), key=repr) for name in PUBLISHED}


@pytest.fixture(scope="module")
def target(tmp_path_factory):
    return tmp_path_factory.mktemp("dbt") / "target"


def test_incremental_run_equals_full_refresh(warehouse_dsn, target):
    with warehouse.connect(warehouse_dsn) as conn:
        conn.execute(HAND_CASES_SQL.read_text(encoding="utf-8"))
    build_core(warehouse_dsn, target, {"report_year": 2024})
    with warehouse.connect(warehouse_dsn) as conn:
        conn.execute(NEXT_DAY_SQL)

    build_core(warehouse_dsn, target, {"report_year": 2024})
    incremental = published_tables(warehouse_dsn)
    build_core(warehouse_dsn, target, {"report_year": 2024}, "--full-refresh")
    assert published_tables(warehouse_dsn) == incremental

    cases = {row[0]: row[1:] for row in query(
        warehouse_dsn, "select case_code, timeliness, apology_count from marts.fct_cases")}
    assert "T" not in cases and "U" in cases
    assert cases["J"] == ("LATE", 0)  # due 5 Dec, finished 10 Dec
    assert cases["H"] == (None, 1)


def test_moving_the_cutoff_incrementally_equals_full_refresh(warehouse_dsn, target):
    # Runs after the test above, on its warehouse: only the cut-off moves.
    vars = {"report_year": 2024, "cutoff_date": "2024-12-17"}
    build_core(warehouse_dsn, target, vars)
    incremental = published_tables(warehouse_dsn)
    build_core(warehouse_dsn, target, vars, "--full-refresh")
    assert published_tables(warehouse_dsn) == incremental
    # H (received 20 Dec) is not yet received at the cut-off of 17 Dec.
    assert query(warehouse_dsn, """
        select pending_total from marts.mart_on_time
        where unit_code = 'C2' and period_year = 2024 and period_month = 12""") == [(0,)]

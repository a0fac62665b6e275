"""The gate end to end: real Postgres, real GX validations, hand-made breaks.

Each test starts from the clean province (tests/expectations/province.py), breaks one
thing, runs every suite and asks the gate.
"""
from __future__ import annotations

import datetime as dt

import psycopg
import pytest

from expectations import gate
from expectations.severity import SEVERITIES
from expectations.store import add_waiver
from tests.expectations import province
from tests.expectations.province import YEAR

NEXT_MONTH = dt.date.today() + dt.timedelta(days=30)


def closed_gate(dsn: str, docs_dir) -> gate.GateClosed:
    """Run the checks, expect the gate closed, return the refusal."""
    gate.run_checks(dsn, YEAR, docs_dir=docs_dir)
    with pytest.raises(gate.GateClosed) as refusal:
        gate.assert_open(dsn, YEAR)
    return refusal.value


def failing_checks(refusal: gate.GateClosed) -> list[str]:
    return [outcome.check for outcome in refusal.failures]


def test_clean_province_passes_every_check_and_is_recorded(province_dsn, docs_dir):
    run = gate.run_checks(province_dsn, YEAR, docs_dir=docs_dir)

    assert {o.check for o in run.outcomes} == set(SEVERITIES)
    assert [o.message_en for o in run.outcomes if not o.passed] == []
    decision = gate.assert_open(province_dsn, YEAR)
    assert (decision.run_id, decision.waived, decision.warnings) == (run.run_id, [], [])
    assert run.data_docs.is_file() and "raw__deliveries" in run.data_docs.read_text("utf-8")
    with psycopg.connect(province_dsn) as conn:
        recorded = conn.execute(
            'select count(*), count(distinct "check"), bool_and(passed), min(report_year) '
            "from quality.check_results where run_id = %s", (run.run_id,)).fetchone()
    assert recorded == (len(SEVERITIES), len(SEVERITIES), True, YEAR)


def test_a_unit_missing_a_month_of_deliveries_closes_the_gate(province_dsn, docs_dir):
    province.execute(province_dsn, """
        delete from raw.case_snapshots where load_id in
            (select load_id from raw.deliveries where delivery = 'hoso_20240315.csv');
        delete from raw.deliveries where delivery = 'hoso_20240315.csv';
    """)

    refusal = closed_gate(province_dsn, docs_dir)

    assert failing_checks(refusal) == ["quality.completeness.monthly_deliveries"]
    assert refusal.failures[0].unit_codes == ("H31.SNV",)
    message = str(refusal)
    assert "đơn vị thiếu dữ liệu hồ sơ của tháng trong năm 2024" in message
    assert "units missing months of case deliveries in 2024" in message
    assert "H31.SNV (feed_unit_code=H31.SNV, feed_kind=csv, months_missing=3, months=1" in message


def test_carried_units_inherit_their_feeds_missing_months(province_dsn, docs_dir):
    # The district's platform was last read, and its cursor stands, on 2024-10-15:
    # October to December are missing for the district and both communes it carries.
    province.execute(province_dsn, """
        update raw.deliveries set delivery_day = '2024-10-15', received_at = '2024-10-15 06:00+07'
        where source_kind = 'api';
        update raw.api_cursors set cursor_at = '2024-10-15 06:00+07';
    """)

    refusal = closed_gate(province_dsn, docs_dir)

    [failure] = refusal.failures
    assert failure.unit_codes == ("H31.305", "H31.305.01", "H31.305.07")
    assert {(r["unit_code"], r["months_missing"]) for r in failure.rows} == {
        ("H31.305", "10, 11, 12"), ("H31.305.01", "10, 11, 12"), ("H31.305.07", "10, 11, 12")}


def test_a_terminal_date_before_receipt_closes_the_gate(province_dsn, docs_dir):
    province.execute(province_dsn, """
        update staging.stg_raw__cases set terminal_at_date = '2024-07-30'
        where case_code = 'H31.305-api-1'
    """)

    refusal = closed_gate(province_dsn, docs_dir)

    assert failing_checks(refusal) == ["staging.stg_raw__cases.receipt_not_after_terminal"]
    assert ("H31.305 (case_code=H31.305-api-1, received_date=2024-08-01, "
            "terminal_date=2024-07-30)") in str(refusal)
    assert "hồ sơ có ngày kết thúc xử lý trước ngày tiếp nhận" in str(refusal)


def test_a_case_dated_in_a_year_the_calendar_lacks_closes_the_gate(province_dsn, docs_dir):
    # H31.SNV-202412-1 is due on 2025-01-08; the calendar loses 2025.
    province.execute(province_dsn,
                     "delete from intermediate.int_calendar__days where calendar_year = 2025")

    refusal = closed_gate(province_dsn, docs_dir)

    assert failing_checks(refusal) == ["staging.stg_raw__cases.calendar_covers_case_years"]
    assert "H31.SNV (year=2025, cases=1)" in str(refusal)
    assert "cases dated in a year the working calendar does not cover" in str(refusal)


def test_a_broken_bieu06_identity_closes_the_gate(province_dsn, docs_dir):
    province.execute(province_dsn, """
        update marts.mart_on_time_yearly set resolved_late = 4 where unit_code = 'H31.305.01'
    """)

    refusal = closed_gate(province_dsn, docs_dir)

    assert failing_checks(refusal) == ["marts.mart_on_time_yearly.bieu06_identities"]
    assert ("H31.305.01 (period=2024, identity=(7) resolved_total = (8) + (9) + (10), "
            "left_side=8, right_side=11)") in str(refusal)
    assert "dòng của mart_on_time_yearly sai đẳng thức Biểu 06" in str(refusal)


def test_pending_cases_not_carried_into_the_next_month_close_the_gate(province_dsn, docs_dir):
    province.execute(province_dsn, """
        update marts.mart_on_time set carried_over = 2, received_online = 0
        where unit_code = 'H31.SNV' and period_month = 4
    """)

    refusal = closed_gate(province_dsn, docs_dir)

    assert failing_checks(refusal) == ["marts.mart_on_time.period_continuity"]
    assert ("H31.SNV (period=2024-03, pending_total=1, next_period_carried_over=2)"
            in str(refusal))


def test_pending_cases_of_a_merged_unit_without_a_next_row_close_the_gate(province_dsn, docs_dir):
    # H31.305.09 ceased on 31 Dec 2023; a January row with one case still pending and no
    # February row: the case dropped out of February (issue #10), 1 pending vs 0 carried.
    province.execute(province_dsn, """
        insert into marts.mart_on_time (unit_code, period_year, period_month, received_total,
            received_online, received_direct_postal, carried_over, resolved_total,
            resolved_early, resolved_on_time, resolved_late, pending_total, pending_in_time,
            pending_overdue, on_time_rate, on_time_rate_766, rejected_at_desk)
        values ('H31.305.09', 2024, 1, 1, 0, 0, 1, 0, 0, 0, 0, 1, 0, 1, null, 0, 0)
    """)

    refusal = closed_gate(province_dsn, docs_dir)

    assert failing_checks(refusal) == ["marts.mart_on_time.period_continuity"]
    assert ("H31.305.09 (period=2024-01, pending_total=1, next_period_carried_over=0)"
            in str(refusal))


def test_a_due_date_past_the_calendar_closes_the_gate_naming_the_year(province_dsn, docs_dir):
    # Received Mon 30 Dec 2024, still open; its due date ran past the calendar, which covers
    # 2024-2025 only (2025 would be covered, so the working days ran out in 2026): 1 case.
    province.execute(province_dsn, """
        insert into marts.fct_cases values ('H31.305.01-late', 'H31.305.01', '1.001612',
            'Hộ tịch', '2024-12-30', null, null, null, null, false, false)
    """)

    refusal = closed_gate(province_dsn, docs_dir)

    assert failing_checks(refusal) == ["marts.fct_cases.calendar_covers_computed_dates"]
    assert "H31.305.01 (year=2026, cases=1)" in str(refusal)


def test_cases_without_due_date_are_counted_by_missing_year(province_dsn, docs_dir):
    # Two cases of H31.SNV whose terminal dates (2026-01-05) lie past the calendar and whose
    # due dates were not computed: the first missing year from receipt on, 2026, 2 cases.
    province.execute(province_dsn, """
        insert into marts.fct_cases values
            ('SNV-a', 'H31.SNV', '2.000889', 'Xây dựng', '2024-12-02', '2026-01-02',
             null, null, '2026-01-05', false, false),
            ('SNV-b', 'H31.SNV', '2.000889', 'Xây dựng', '2024-12-03', null,
             null, null, '2026-01-05', false, false)
    """)

    refusal = closed_gate(province_dsn, docs_dir)

    assert failing_checks(refusal) == ["marts.fct_cases.calendar_covers_computed_dates"]
    assert "H31.SNV (year=2026, cases=2)" in str(refusal)


def test_nearest_version_and_terminal_fallback_are_warnings_listing_cases(province_dsn, docs_dir):
    province.execute(province_dsn, """
        update marts.fct_cases set procedure_version_nearest = true
        where case_code = 'H31.305-api-1';
        update marts.fct_cases set terminal_date_fallback = true
        where case_code in ('H31.305-api-2', 'H31.SNV-202403-1');
    """)

    gate.run_checks(province_dsn, YEAR, docs_dir=docs_dir)
    decision = gate.assert_open(province_dsn, YEAR)

    warnings = {w.check: w for w in decision.warnings}
    assert sorted(warnings) == ["marts.fct_cases.procedure_version_nearest",
                                "marts.fct_cases.terminal_date_fallback"]
    nearest = warnings["marts.fct_cases.procedure_version_nearest"]
    assert (nearest.observed, [r["case_code"] for r in nearest.rows]) == (1, ["H31.305-api-1"])
    fallback = warnings["marts.fct_cases.terminal_date_fallback"]
    assert (fallback.observed, sorted(r["case_code"] for r in fallback.rows)) == (
        2, ["H31.305-api-2", "H31.SNV-202403-1"])


def test_missing_appraisal_scores_close_the_gate_per_unit_and_criterion(province_dsn, docs_dir):
    # H31.305: no SURVEY score (the methodology's row stays, without a measure) and no
    # CC_CONG_CHUC row although H31.SNV has one; H31.SNV: no SATISFACTION_PCT.
    province.execute(province_dsn, """
        update marts.mart_par_index_criteria set measure_value = null
        where (ranking_unit_code, criterion_code) in
              (('H31.305', 'SURVEY'), ('H31.SNV', 'SATISFACTION_PCT'));
        delete from marts.mart_par_index_criteria
        where ranking_unit_code = 'H31.305' and criterion_code = 'CC_CONG_CHUC';
    """)

    refusal = closed_gate(province_dsn, docs_dir)

    assert failing_checks(refusal) == ["marts.mart_par_index_criteria.appraisal_score_missing"]
    [failure] = refusal.failures
    assert failure.observed == 3
    assert sorted((r["unit_code"], r["criterion_code"]) for r in failure.rows) == [
        ("H31.305", "CC_CONG_CHUC"), ("H31.305", "SURVEY"), ("H31.SNV", "SATISFACTION_PCT")]

    # Waivable like any other blocking check, unit by unit.
    check = "marts.mart_par_index_criteria.appraisal_score_missing"
    for unit in ("H31.305", "H31.SNV"):
        add_waiver(province_dsn, check, YEAR, "Giám đốc Sở Nội vụ",
                   "Hội đồng thẩm định không chấm", NEXT_MONTH, unit)
    assert [w.outcome.check for w in gate.assert_open(province_dsn, YEAR).waived] == [check]


def test_appraisal_scores_out_of_range_close_the_gate(province_dsn, docs_dir):
    # SURVEY 10.5 > 10 points; SATISFACTION_PCT 100.5 > 100 %; a document-judged -1 < 0;
    # a council score 3.5 of TTHC_ON_TIME > 3.0. SATISFACTION_PCT 100 and a computed
    # measure of 98.5 (a rate, not an appraisal score) are fine.
    province.execute(province_dsn, """
        update marts.mart_par_index_criteria set measure_value = case
            when ranking_unit_code = 'H31.305' and criterion_code = 'SURVEY' then 10.5
            when ranking_unit_code = 'H31.305' and criterion_code = 'SATISFACTION_PCT' then 100.5
            when ranking_unit_code = 'H31.SNV' and criterion_code = 'SATISFACTION_PCT' then 100
            when ranking_unit_code = 'H31.SNV' and criterion_code = 'CC_THE_CHE' then -1
            when ranking_unit_code = 'H31.SNV' and criterion_code = 'TTHC_ON_TIME'
                 and source = 'appraisal' then 3.5
            else measure_value end
    """)

    refusal = closed_gate(province_dsn, docs_dir)

    assert failing_checks(refusal) == ["marts.mart_par_index_criteria.appraisal_score_in_range"]
    [failure] = refusal.failures
    assert sorted((r["unit_code"], r["criterion_code"], r["score"], r["max_score"])
                  for r in failure.rows) == [
        ("H31.305", "SATISFACTION_PCT", 100.5, 100), ("H31.305", "SURVEY", 10.5, 10),
        ("H31.SNV", "CC_THE_CHE", -1, None), ("H31.SNV", "TTHC_ON_TIME", 3.5, 3)]


def test_a_unit_in_force_missing_from_the_yearly_table_closes_the_gate(province_dsn, docs_dir):
    province.execute(province_dsn,
                     "delete from marts.mart_on_time_yearly where unit_code = 'H31.SNV'")

    refusal = closed_gate(province_dsn, docs_dir)

    assert failing_checks(refusal) == ["marts.mart_on_time_yearly.units_covered"]
    assert refusal.failures[0].unit_codes == ("H31.SNV",)


def test_a_missing_mart_closes_the_gate_instead_of_crashing(province_dsn, docs_dir):
    province.execute(province_dsn, "drop table marts.mart_online_service_rate_yearly")

    refusal = closed_gate(province_dsn, docs_dir)

    assert failing_checks(refusal) == ["marts.mart_online_service_rate_yearly.rates_in_range"]
    assert ("the check could not run (suite marts__mart_online_service_rate_yearly): "
            "(psycopg.errors.UndefinedTable) relation "
            '"marts.mart_online_service_rate_yearly" does not exist') in str(refusal)


def test_a_warning_is_reported_but_lets_the_report_through(province_dsn, docs_dir):
    province.execute(province_dsn, """
        update raw.case_snapshots set case_code = 'H31.305-api-1'
        where case_code = 'H31.305-api-2'
    """)
    gate.run_checks(province_dsn, YEAR, docs_dir=docs_dir)

    decision = gate.assert_open(province_dsn, YEAR)

    [warning] = decision.warnings
    assert warning.check == "raw.case_snapshots.duplicate_case_in_delivery"
    assert "H31.305 (delivery=capNhatTu=" in warning.message_en and "copies=2" in warning.message_en


def test_a_recorded_waiver_lets_the_failure_through_and_reports_it(province_dsn, docs_dir):
    province.execute(province_dsn, """
        update marts.mart_on_time_yearly set resolved_late = resolved_late + 1
        where unit_code = 'H31.305.07'
    """)
    gate.run_checks(province_dsn, YEAR, docs_dir=docs_dir)
    check = "marts.mart_on_time_yearly.bieu06_identities"
    add_waiver(province_dsn, check, YEAR, "Other unit", "not this one", NEXT_MONTH, "H31.SNV")
    with pytest.raises(gate.GateClosed) as refusal:
        gate.assert_open(province_dsn, YEAR)
    assert "(waived for: " not in str(refusal.value)

    waiver = add_waiver(province_dsn, check, YEAR, "Giám đốc Sở Nội vụ",
                        "Số liệu phường Hàng Kênh đối chiếu thủ công", NEXT_MONTH, "H31.305.07")
    decision = gate.assert_open(province_dsn, YEAR)

    [waived] = decision.waived
    assert waived.outcome.check == check and waived.outcome.unit_codes == ("H31.305.07",)
    assert waived.waivers == (waiver,)
    assert "(7) resolved_total = (8) + (9) + (10), left_side=" in waived.outcome.message_en


def test_a_waiver_for_one_unit_does_not_open_the_gate_for_another(province_dsn, docs_dir):
    province.execute(province_dsn, """
        update marts.mart_on_time_yearly set resolved_late = resolved_late + 1
        where unit_code in ('H31.305.07', 'H31.305.01')
    """)
    gate.run_checks(province_dsn, YEAR, docs_dir=docs_dir)
    add_waiver(province_dsn, "marts.mart_on_time_yearly.bieu06_identities", YEAR,
               "Giám đốc Sở Nội vụ", "đối chiếu thủ công", NEXT_MONTH, "H31.305.07")

    with pytest.raises(gate.GateClosed) as refusal:
        gate.assert_open(province_dsn, YEAR)

    assert "(đã miễn cho: H31.305.07)" in str(refusal.value)
    assert "(waived for: H31.305.07)" in str(refusal.value)


def test_without_a_run_or_with_deliveries_after_it_the_gate_is_closed(province_dsn, docs_dir):
    with pytest.raises(gate.GateClosed, match="No quality run for 2024"):
        gate.assert_open(province_dsn, YEAR)

    gate.run_checks(province_dsn, YEAR, docs_dir=docs_dir)
    province.execute(province_dsn, """
        insert into raw.deliveries (source_kind, feed_unit_code, delivery, record_kind,
                                    delivery_day, status)
        values ('csv', 'H31.SNV', 'hoso_20241231.csv', 'cases', '2024-12-31', 'loaded')
    """)

    with pytest.raises(gate.GateClosed, match="deliveries received after .* UTC: 1"):
        gate.assert_open(province_dsn, YEAR)

"""The completeness matrix against hand-made feeds and deliveries (rule in
expectations/completeness.py); SQL only, no GX."""
from __future__ import annotations

import datetime as dt
import uuid

import psycopg
import pytest

from expectations.completeness import build_matrix
from tests.expectations import province
from tests.expectations.province import YEAR

_COLUMNS = """period_month, deliveries_expected, deliveries_received, deliveries_loaded,
              rows_quarantined, complete, files_landed"""


def matrix(dsn: str, data_dir=None, cutoff_date=None) -> dict[tuple[str, str], list[tuple]]:
    """(unit, feed) → its rows by month, from a fresh run of `build_matrix`."""
    run_id = str(uuid.uuid4())
    with psycopg.connect(dsn) as conn:
        build_matrix(conn, YEAR, run_id, data_dir, cutoff_date)
        rows = conn.execute(
            f"select unit_code, feed_unit_code, {_COLUMNS} from quality.completeness "
            "where run_id = %s order by unit_code, feed_unit_code, period_month", (run_id,)
        ).fetchall()
    result: dict[tuple[str, str], list[tuple]] = {}
    for unit, feed, *rest in rows:
        result.setdefault((unit, feed), []).append(tuple(rest))
    return result


def months(rows: list[tuple], complete: bool | None = None) -> list[int]:
    return [row[0] for row in rows if complete is None or row[5] is complete]


def test_each_unit_is_expected_through_the_feed_in_force(province_dsn):
    result = matrix(province_dsn)

    assert set(result) == {("H31.SNV", "H31.SNV"), ("H31.305", "H31.305"),
                           ("H31.305.01", "H31.305"), ("H31.305.07", "H31.305.07"),
                           ("H31.305.07", "H31.305")}  # H31.305.09 was merged away in 2023
    assert months(result["H31.305.07", "H31.305.07"]) == [1, 2, 3, 4, 5, 6]
    assert months(result["H31.305.07", "H31.305"]) == [7, 8, 9, 10, 11, 12]
    assert all(row[5] for rows in result.values() for row in rows)
    # csv: one file a day expected (29 days in February 2024), one loaded is enough.
    assert result["H31.SNV", "H31.SNV"][1] == (2, 29, 1, 1, 0, True, None)


def test_a_csv_month_without_a_loaded_case_file_is_incomplete(province_dsn):
    province.execute(province_dsn, """
        update raw.deliveries set status = 'not_loaded', rows_read = 0, rows_loaded = 0
        where delivery = 'hoso_20240515.csv';
        update raw.deliveries set rows_read = 3, rows_quarantined = 1
        where delivery = 'hoso_20240615.csv';
    """)

    rows = matrix(province_dsn)["H31.SNV", "H31.SNV"]

    assert months(rows, complete=False) == [5]
    assert rows[4][:6] == (5, 31, 1, 0, 0, False)  # received, but not loaded
    assert rows[5][4] == 1  # June's quarantined row is counted


def test_an_api_month_is_delivered_by_a_read_on_or_after_its_last_day(province_dsn):
    province.execute(province_dsn, """
        update raw.deliveries set delivery_day = '2024-11-30' where source_kind = 'api';
        update raw.api_cursors set cursor_at = '2024-11-30 09:00+07';
    """)
    assert months(matrix(province_dsn)["H31.305", "H31.305"], complete=False) == [12]

    # No read after November, but the cursor stands past the end of December.
    province.execute(province_dsn,
                     "update raw.api_cursors set cursor_at = '2025-01-01 00:30+07'")
    assert months(matrix(province_dsn)["H31.305", "H31.305"], complete=False) == []


def test_a_feed_ending_mid_month_is_expected_for_that_month_only(province_dsn):
    province.execute(province_dsn, """
        update raw.ref_feeds set valid_to = '2024-03-10' where feed_unit_code = 'H31.SNV'
    """)

    rows = matrix(province_dsn)["H31.SNV", "H31.SNV"]

    assert months(rows) == [1, 2, 3]
    assert rows[2][1] == 10  # ten days of March in force


@pytest.fixture
def data_dir(tmp_path):
    """A delivery directory whose H31.SNV drop folder holds March's file, not yet ingested."""
    (tmp_path / "reference").mkdir()
    (tmp_path / "reference" / "sources.yml").write_text(
        "sources:\n  - {unit_code: H31.SNV, kind: csv, path: landing/H31.SNV}\n", "utf-8")
    folder = tmp_path / "landing" / "H31.SNV"
    folder.mkdir(parents=True)
    for name in ("hoso_20240315.csv", "hoso_20240315.csv.ok", "sukien_20240315.csv",
                 "hoso_20230315.csv"):
        (folder / name).write_text("x", "utf-8")
    return tmp_path


def test_files_landed_but_not_ingested_are_counted_but_do_not_count(province_dsn, data_dir):
    province.execute(province_dsn, """
        delete from raw.case_snapshots where load_id in
            (select load_id from raw.deliveries where delivery = 'hoso_20240315.csv');
        delete from raw.deliveries where delivery = 'hoso_20240315.csv';
    """)

    rows = matrix(province_dsn, data_dir)["H31.SNV", "H31.SNV"]

    assert rows[2] == (3, 31, 0, 0, 0, False, 1)
    assert rows[3][6] == 0
    assert matrix(province_dsn)["H31.SNV", "H31.SNV"][2][6] is None


def test_last_delivery_time_is_the_latest_case_delivery_of_the_month(province_dsn):
    province.execute(province_dsn, """
        insert into raw.deliveries (source_kind, feed_unit_code, delivery, record_kind,
                                    delivery_day, status, received_at)
        values ('csv', 'H31.SNV', 'hoso_20240120.csv', 'cases', '2024-01-20', 'loaded',
                '2024-01-20 18:30+07'),
               ('csv', 'H31.SNV', 'sukien_20240125.csv', 'events', '2024-01-25', 'loaded',
                '2024-01-25 18:30+07')
    """)
    with psycopg.connect(province_dsn) as conn:
        build_matrix(conn, YEAR, run_id := str(uuid.uuid4()))
        received, last = conn.execute(
            "select deliveries_received, last_delivery_at from quality.completeness "
            "where run_id = %s and feed_unit_code = 'H31.SNV' and period_month = 1", (run_id,)
        ).fetchone()
    assert received == 2  # the event file is not a case delivery
    assert last == dt.datetime(2024, 1, 20, 18, 30, tzinfo=dt.timezone(dt.timedelta(hours=7)))


def test_only_months_ended_by_the_cutoff_are_judged(province_dsn):
    # A build on 15 June 2024: nothing of July to December has arrived yet, nor June's
    # workbook; the months judged are January to May, all delivered.
    province.execute(province_dsn, """
        delete from raw.case_snapshots where load_id in (select load_id from raw.deliveries
            where delivery_day >= '2024-06-01' and source_kind <> 'api');
        delete from raw.deliveries where delivery_day >= '2024-06-01' and source_kind <> 'api';
    """)

    result = matrix(province_dsn, cutoff_date=dt.date(2024, 6, 15))

    assert months(result["H31.SNV", "H31.SNV"]) == [1, 2, 3, 4, 5]
    assert months(result["H31.305.07", "H31.305.07"]) == [1, 2, 3, 4, 5]
    assert ("H31.305.07", "H31.305") not in result  # carried from July only
    assert all(row[5] for rows in result.values() for row in rows)
    # At the year's end the same data leaves June to December of H31.SNV missing.
    assert months(matrix(province_dsn)["H31.SNV", "H31.SNV"], complete=False) == [
        6, 7, 8, 9, 10, 11, 12]

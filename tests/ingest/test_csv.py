"""Kind csv: daily files land typed, mapped to national codes, reconciled and idempotent."""
from __future__ import annotations

from datetime import UTC, date, datetime

from ingest.pipeline import ingest_feed, load_reference
from tests.ingest.kit import CASE_HEADER, case, deliveries, query, write_csv


def _utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def test_case_file_lands_with_national_codes(dsn, data_dir):
    rows = [
        case(),
        case("T.S01-240103-0002", **{
            "Hình thức nộp": "Bưu chính", "Trạng thái": "Đã trả kết quả",
            "Loại chủ hồ sơ": "Tổ chức", "Thanh toán trực tuyến": "Không",
            "Số hóa kết quả": "Có", "Đánh giá": "Rất hài lòng",
            "Ngày có kết quả": "05/01/2024 16:30", "Ngày trả kết quả": "08/01/2024 08:05",
            "Họ tên": "Công ty TNHH Đại Việt\r\nChi nhánh Hải Phòng"}),
    ]
    write_csv(data_dir / "landing/T.S01", "hoso_20240103.csv", rows)
    load_reference(dsn, data_dir)

    [outcome] = ingest_feed(dsn, data_dir, "T.S01")

    assert (outcome.status, outcome.rows_read, outcome.rows_loaded) == ("loaded", 2, 2)
    assert deliveries(dsn, "T.S01") == [("hoso_20240103.csv", "loaded", 2, 2, 0)]
    snapshots = query(dsn, "select case_code, unit_code, procedure_code, channel, received_at,"
                           " appointment_at, terminal_at, returned_at, status_code,"
                           " applicant_type, applicant_name, paid_online, result_digitised,"
                           " rating, updated_at, record_no from raw.case_snapshots"
                           " order by record_no")
    assert snapshots == [
        ("T.S01-240103-0001", "T.S01", "2.000488", 2, _utc(2024, 1, 3, 2, 12),
         _utc(2024, 1, 12, 10, 0), None, None, 4, 1, "Nguyễn Văn An", 1, None, None,
         _utc(2024, 1, 3, 3, 0), 1),
        ("T.S01-240103-0002", "T.S01", "2.000488", 3, _utc(2024, 1, 3, 2, 12),
         _utc(2024, 1, 12, 10, 0), _utc(2024, 1, 5, 9, 30), _utc(2024, 1, 8, 1, 5), 10, 2,
         "Công ty TNHH Đại Việt\r\nChi nhánh Hải Phòng", 0, 1, 1, _utc(2024, 1, 3, 3, 0), 2),
    ]
    day = query(dsn, "select delivery_day, record_kind from raw.deliveries"
                     " where source_kind = 'csv'")
    assert day == [(date(2024, 1, 3), "cases")]


def test_cp1258_with_combining_marks_is_stored_as_nfc(dsn, data_dir):
    # cp1258 writes "ờ" as "ơ" + combining grave, "ạ" as "a" + combining dot below.
    row = case("T.D01-240104-0001", **{"Mã đơn vị": "T.D01", "Họ tên": "Phạm Thị Thường"})
    path = write_csv(data_dir / "landing/T.D01", "hoso_20240104.csv", [row],
                     encoding="cp1258")
    assert b"Th\xfd\xf5\xccng" in path.read_bytes()
    load_reference(dsn, data_dir)

    ingest_feed(dsn, data_dir, "T.D01")

    assert query(dsn, "select applicant_name, status_code from raw.case_snapshots") == [
        ("Phạm Thị Thường", 4)]


def test_any_column_order_and_extra_columns_reported(dsn, data_dir):
    header = ["Ngày cập nhật", "Ghi chú", *reversed(CASE_HEADER[:-1]), "Cán bộ tiếp nhận"]
    row = case(**{"Ghi chú": "gọi lại", "Cán bộ tiếp nhận": "Lê Văn Bình"})
    write_csv(data_dir / "landing/T.S01", "hoso_20240105.csv", [row], header=header)
    load_reference(dsn, data_dir)

    ingest_feed(dsn, data_dir, "T.S01")

    assert query(dsn, "select extra_columns, status from raw.deliveries where"
                      " source_kind = 'csv'") == [(["Ghi chú", "Cán bộ tiếp nhận"], "loaded")]
    assert query(dsn, "select case_code, updated_at from raw.case_snapshots") == [
        ("T.S01-240103-0001", _utc(2024, 1, 3, 3, 0))]


def test_same_case_twice_in_a_file_loads_both_rows(dsn, data_dir):
    rows = [case(), case(**{"Trạng thái": "Đã có kết quả", "Ngày cập nhật": "03/01/2024 15:00"})]
    write_csv(data_dir / "landing/T.S01", "hoso_20240103.csv", rows)
    load_reference(dsn, data_dir)

    ingest_feed(dsn, data_dir, "T.S01")

    assert query(dsn, "select record_no, status_code from raw.case_snapshots"
                      " order by record_no") == [(1, 4), (2, 9)]


def test_event_file_maps_event_types(dsn, data_dir):
    events = [
        {"Mã hồ sơ": "T.S01-240103-0001", "Loại sự kiện": "Nhận bổ sung",
         "Thời điểm": "08/01/2024 08:18", "Ngày hẹn trả mới": "15/01/2024 17:00"},
        {"Mã hồ sơ": "T.S01-240103-0001", "Loại sự kiện": "Chuyển liên thông",
         "Thời điểm": "09/01/2024 10:00", "Đơn vị nhận": "T.D01", "Lý do": "Liên thông"},
    ]
    write_csv(data_dir / "landing/T.S01", "sukien_20240108.csv", events)
    load_reference(dsn, data_dir)

    ingest_feed(dsn, data_dir, "T.S01")

    assert query(dsn, "select event_type, event_at, new_appointment_at, receiving_unit_code,"
                      " reason from raw.case_events order by record_no") == [
        ("NHAN_BO_SUNG", _utc(2024, 1, 8, 1, 18), _utc(2024, 1, 15, 10, 0), None, None),
        ("CHUYEN_LIEN_THONG", _utc(2024, 1, 9, 3, 0), None, "T.D01", "Liên thông"),
    ]
    assert deliveries(dsn, "T.S01") == [("sukien_20240108.csv", "loaded", 2, 2, 0)]


def test_day_bounds_select_files_by_their_day(dsn, data_dir):
    folder = data_dir / "landing/T.S01"
    for day in ("20240103", "20240104", "20240105"):
        write_csv(folder, f"hoso_{day}.csv", [case()])
    load_reference(dsn, data_dir)

    outcomes = ingest_feed(dsn, data_dir, "T.S01", date(2024, 1, 4), date(2024, 1, 4))

    assert [o.delivery for o in outcomes] == ["hoso_20240104.csv"]
    assert [o.delivery for o in ingest_feed(dsn, data_dir, "T.S01")] == [
        "hoso_20240103.csv", "hoso_20240105.csv"]

"""Idempotency: the same delivery twice changes nothing; a re-sent day replaces the old one;
events are append-only and stored again with the same keys."""
from __future__ import annotations

from ingest.pipeline import ingest_feed, load_reference
from tests.ingest.kit import case, deliveries, query, write_csv

EVENT = {"Mã hồ sơ": "T.S01-240103-0001", "Loại sự kiện": "Xin lỗi",
         "Thời điểm": "10/01/2024 08:00", "Ngày hẹn trả mới": "15/01/2024 17:00",
         "Lý do": "Cần xác minh thêm"}


def test_same_file_twice_changes_nothing(dsn, data_dir):
    write_csv(data_dir / "landing/T.S01", "hoso_20240103.csv", [case()])
    load_reference(dsn, data_dir)
    ingest_feed(dsn, data_dir, "T.S01")

    assert ingest_feed(dsn, data_dir, "T.S01") == []
    assert deliveries(dsn, "T.S01") == [("hoso_20240103.csv", "loaded", 1, 1, 0)]
    assert query(dsn, "select count(*) from raw.case_snapshots") == [(1,)]


def test_resent_day_supersedes_the_earlier_delivery(dsn, data_dir):
    folder = data_dir / "landing/T.S01"
    write_csv(folder, "hoso_20240103.csv", [case(), case("T.S01-240103-0002")])
    load_reference(dsn, data_dir)
    [first] = ingest_feed(dsn, data_dir, "T.S01")
    # The corrected file no longer has case 0002 and changes the status of 0001.
    write_csv(folder, "hoso_20240103.csv", [case(**{"Trạng thái": "Đã có kết quả"})])

    [second] = ingest_feed(dsn, data_dir, "T.S01")

    assert deliveries(dsn, "T.S01") == [
        ("hoso_20240103.csv", "superseded", 2, 2, 0),
        ("hoso_20240103.csv", "loaded", 1, 1, 0),
    ]
    assert query(dsn, "select superseded_by from raw.deliveries where load_id = %s",
                 (first.load_id,)) == [(second.load_id,)]
    current = query(dsn, "select case_code, status_code from raw.case_snapshots s"
                         " join raw.deliveries d using (load_id) where d.status = 'loaded'"
                         " and d.source_kind = 'csv'")
    assert current == [("T.S01-240103-0001", 9)]


def test_resent_event_file_keeps_every_event_row(dsn, data_dir):
    folder = data_dir / "landing/T.S01"
    write_csv(folder, "sukien_20240110.csv", [EVENT])
    load_reference(dsn, data_dir)
    ingest_feed(dsn, data_dir, "T.S01")
    later = {**EVENT, "Loại sự kiện": "Tạm dừng", "Thời điểm": "10/01/2024 09:00",
             "Ngày hẹn trả mới": "", "Lý do": "Chờ xác minh"}
    write_csv(folder, "sukien_20240110.csv", [EVENT, later])

    ingest_feed(dsn, data_dir, "T.S01")

    # Both deliveries' rows stay: the first event twice, with identical keys (dbt dedups).
    rows = query(dsn, "select case_code, event_type, event_at from raw.case_events"
                      " order by load_id, record_no")
    assert len(rows) == 3
    assert rows[0] == rows[1]
    assert len(set(rows)) == 2
    assert [d[1] for d in deliveries(dsn, "T.S01")] == ["superseded", "loaded"]

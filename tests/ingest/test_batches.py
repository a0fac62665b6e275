"""Ingest at scale (issue 12): the column path lands what the row path lands, a feed's
files share transactions without sharing fate, and feeds load in parallel, bounded."""
from __future__ import annotations

import threading
import time

import pytest

from ingest import pipeline
from ingest.pipeline import IngestError, ingest_all, ingest_feed, ingest_workers, load_reference
from ingest.sources import csv as csv_source
from tests.ingest.kit import (
    EVENT_HEADER,
    case,
    deliveries,
    empty_raw,
    query,
    write_csv,
    write_workbook,
)

RAW_ROWS = {
    "raw.case_snapshots": "select * from raw.case_snapshots order by load_id, record_no",
    "raw.case_events": "select * from raw.case_events order by load_id, record_no",
    "raw.quarantine": "select load_id, record_kind, record_no, line_no, field, value,"
                      " reason_code, reason_vi, reason_en, original from raw.quarantine"
                      " order by load_id, record_no",
    "raw.deliveries": "select load_id, delivery, status, content_hash, rows_read,"
                      " rows_loaded, rows_quarantined, extra_columns, reason"
                      " from raw.deliveries order by load_id",
}


def _raw(dsn: str) -> dict[str, list[tuple]]:
    return {table: query(dsn, sql) for table, sql in RAW_ROWS.items()}


def _edge_files(data_dir) -> None:
    """Files with the rows that make the two paths differ if anything does."""
    folder = data_dir / "landing/T.S01"
    write_csv(folder, "hoso_20240103.csv", [
        case(),
        case("T.S01-240103-0002", **{"Họ tên": 'Công ty "Đại Việt"; CN\r\nHải Phòng',
                                      "Đánh giá": "rất HÀI LÒNG", "Số hóa kết quả": "Có"}),
        case("T.S01-240103-0003", **{"Mã đơn vị": "T.X99"}),
        case("T.S01-240103-0004", **{"Ngày tiếp nhận": "31/02/2024 08:00"}),
        case("T.S01-240103-0005", **{"Trạng thái": "", "Mã TTHC": "9.999999"}),
        case("T.S01-240103-0006", **{"Ngày cập nhật": " 3/1/2024 9:05:07 ",
                                      "Số điện thoại": "  "}),
        case("", **{"Hình thức nộp": "Fax"}),
    ], header=[*case(), "Ghi chú"])
    write_csv(folder, "sukien_20240103.csv", [
        {"Mã hồ sơ": "T.S01-240103-0001", "Loại sự kiện": "Tạm dừng",
         "Thời điểm": "03/01/2024 11:00", "Lý do": "Chờ ý kiến\nliên ngành"},
        {"Mã hồ sơ": "T.S01-240103-0002", "Loại sự kiện": "Gọi điện",
         "Thời điểm": "03/01/2024 11:00"},
        {"Mã hồ sơ": "T.S01-240103-0002", "Loại sự kiện": "Xin lỗi", "Thời điểm": ""},
    ], header=EVENT_HEADER)
    write_csv(data_dir / "landing/T.D01", "hoso_20240104.csv", [
        case("T.D01-240104-0001", **{"Mã đơn vị": "T.D01", "Họ tên": "Phạm Thị Thường"}),
        case("T.D01-240104-0002", **{"Mã đơn vị": "T.D01", "Trạng thái": "Đã tiếp nhận "}),
    ], encoding="cp1258")


def test_the_column_path_lands_exactly_what_the_row_path_lands(dsn, data_dir, monkeypatch):
    _edge_files(data_dir)
    load_reference(dsn, data_dir)
    for feed in ("T.S01", "T.D01"):
        ingest_feed(dsn, data_dir, feed)
    by_columns = _raw(dsn)

    empty_raw(dsn)
    monkeypatch.setattr(csv_source, "COLUMN_PATH_MAX_BYTES", -1)  # every file by row
    load_reference(dsn, data_dir)
    for feed in ("T.S01", "T.D01"):
        ingest_feed(dsn, data_dir, feed)

    assert by_columns == _raw(dsn)
    assert len(by_columns["raw.case_snapshots"]) == 5
    assert len(by_columns["raw.quarantine"]) == 6


def _quote_free_files(data_dir) -> None:
    """Small files without quotes, which `read_batch` parses as groups, with a fault of
    each kind a group must leave to the file alone or report as the file alone would."""
    folder = data_dir / "landing/T.S01"
    for day in range(3, 8):  # good files, some rows each rule refuses
        write_csv(folder, f"hoso_202401{day:02d}.csv", [
            case(f"T.S01-2401{day:02d}-0001"),
            case(f"T.S01-2401{day:02d}-0002", **{"Mã đơn vị": "T.X99"}),
            case(f"T.S01-2401{day:02d}-0003", **{"Ngày tiếp nhận": "31/02/2024 08:00",
                                                  "Số điện thoại": "  "}),
            case(f"T.S01-2401{day:02d}-0004", **{"Trạng thái": ""})])
        write_csv(folder, f"sukien_202401{day:02d}.csv", [
            {"Mã hồ sơ": f"T.S01-2401{day:02d}-0001", "Loại sự kiện": "Tạm dừng",
             "Thời điểm": "03/01/2024 11:00", "Lý do": "Chờ ý kiến"},
            {"Mã hồ sơ": f"T.S01-2401{day:02d}-0001", "Loại sự kiện": "Gọi điện",
             "Thời điểm": "03/01/2024 11:00"}], header=EVENT_HEADER)
    write_csv(folder, "hoso_20240108.csv", [case("T.S01-240108-0001")], ok=3)  # wrong count
    write_csv(folder, "hoso_20240109.csv", [case("T.S01-240109-0001")], ok=None)  # no marker
    write_csv(folder, "hoso_20240110.csv", [case("T.S01-240110-0001")],
              header=[*case(), "Ghi chú"])                                  # an extra column
    write_csv(folder, "hoso_20240111.csv", [case()], header=["Mã hồ sơ"])  # columns missing
    write_csv(folder, "hoso_20240112.csv", [])                             # header only
    blank = write_csv(folder, "hoso_20240113.csv", [case("T.S01-240113-0001")], ok=2)
    blank.write_bytes(blank.read_bytes() + b";;\r\n\r\n" + blank.read_bytes().split(b"\n")[1]
                      + b"\n")                                            # blank records
    ragged = write_csv(folder, "hoso_20240114.csv", [case("T.S01-240114-0001")])
    ragged.write_bytes(ragged.read_bytes().rstrip(b"\r\n") + b";extra\r\n")  # a field too many
    write_csv(folder, "hoso_20240115.csv", [case("T.S01-240115-0001")],
              encoding="cp1258")                                           # undecodable
    write_csv(folder, "hoso_20240116.csv", [case("T.S01-240116-0001", **{"Họ tên": "Lê\x00"})])


def test_files_parsed_as_a_group_land_what_each_file_alone_lands(dsn, data_dir, monkeypatch):
    _quote_free_files(data_dir)
    load_reference(dsn, data_dir)
    grouped = [o.summary() for o in ingest_feed(dsn, data_dir, "T.S01")]
    again = ingest_feed(dsn, data_dir, "T.S01")
    by_groups = _raw(dsn)

    empty_raw(dsn)
    monkeypatch.setattr(csv_source, "GROUP_FILE_MAX_BYTES", -1)  # every file alone
    load_reference(dsn, data_dir)
    alone = [o.summary() for o in ingest_feed(dsn, data_dir, "T.S01")]

    assert grouped == alone
    assert again == []
    assert by_groups == _raw(dsn)
    assert {status for _, status, *_ in deliveries(dsn, "T.S01")} == {
        "loaded", "not_loaded", "rejected"}
    assert len(by_groups["raw.quarantine"]) >= 15


def test_one_bad_file_in_a_batch_loses_none_of_the_others(dsn, data_dir, monkeypatch):
    monkeypatch.setattr(pipeline, "BATCH_FILES", 3)
    folder = data_dir / "landing/T.S01"
    for day in range(3, 10):
        write_csv(folder, f"hoso_202401{day:02d}.csv",
                  [case(f"T.S01-2401{day:02d}-{n:04d}") for n in range(day)])
    write_csv(folder, "hoso_20240105.csv", [case()], ok=7)       # its marker counts 7
    write_csv(folder, "hoso_20240107.csv", [case()], header=["Mã hồ sơ"])  # columns missing
    load_reference(dsn, data_dir)

    outcomes = ingest_feed(dsn, data_dir, "T.S01")

    assert deliveries(dsn, "T.S01") == [
        ("hoso_20240103.csv", "loaded", 3, 3, 0),
        ("hoso_20240104.csv", "loaded", 4, 4, 0),
        ("hoso_20240105.csv", "not_loaded", 0, 0, 0),
        ("hoso_20240106.csv", "loaded", 6, 6, 0),
        ("hoso_20240107.csv", "rejected", 0, 0, 0),
        ("hoso_20240108.csv", "loaded", 8, 8, 0),
        ("hoso_20240109.csv", "loaded", 9, 9, 0),
    ]
    # Each file its own load id and hash; its rows carry its load id.
    assert len({o.load_id for o in outcomes}) == 7
    assert query(dsn, "select count(distinct content_hash) from raw.deliveries"
                      " where feed_unit_code = 'T.S01'") == [(7,)]
    assert query(dsn, "select d.delivery, count(*) from raw.case_snapshots s"
                      " join raw.deliveries d using (load_id) group by 1 order by 1") == [
        (f"hoso_202401{day:02d}.csv", day) for day in (3, 4, 6, 8, 9)]


def test_a_redelivered_file_in_a_batch_supersedes_only_its_own_earlier_load(dsn, data_dir,
                                                                            monkeypatch):
    monkeypatch.setattr(pipeline, "BATCH_FILES", 10)
    folder = data_dir / "landing/T.S01"
    write_csv(folder, "hoso_20240103.csv", [case()])
    write_csv(folder, "hoso_20240104.csv", [case("T.S01-240104-0001")])
    load_reference(dsn, data_dir)
    ingest_feed(dsn, data_dir, "T.S01")
    write_csv(folder, "hoso_20240103.csv", [case(), case("T.S01-240103-0002")])
    write_csv(folder, "hoso_20240105.csv", [case("T.S01-240105-0001")])

    outcomes = ingest_feed(dsn, data_dir, "T.S01")

    assert [(o.delivery, o.status, o.rows_loaded) for o in outcomes] == [
        ("hoso_20240103.csv", "loaded", 2), ("hoso_20240105.csv", "loaded", 1)]
    assert query(dsn, "select delivery, status, superseded_by from raw.deliveries"
                      " where feed_unit_code = 'T.S01' order by load_id") == [
        ("hoso_20240103.csv", "superseded", outcomes[0].load_id),
        ("hoso_20240104.csv", "loaded", None),
        ("hoso_20240103.csv", "loaded", None),
        ("hoso_20240105.csv", "loaded", None),
    ]


def test_worker_count_is_a_setting(monkeypatch):
    monkeypatch.delenv("CCHC_INGEST_WORKERS", raising=False)
    assert ingest_workers() == 1
    monkeypatch.setenv("CCHC_INGEST_WORKERS", "3")
    assert ingest_workers() == 3
    for bad in ("0", "two", "-1"):
        monkeypatch.setenv("CCHC_INGEST_WORKERS", bad)
        with pytest.raises(IngestError, match="CCHC_INGEST_WORKERS"):
            ingest_workers()


def _busy_feeds(dsn: str) -> int:
    return query(dsn, "select count(*) from pg_stat_activity where datname = current_database()"
                      " and application_name like 'cchc-ingest %%'")[0][0]


@pytest.mark.parametrize("workers", [1, 2])
def test_feeds_load_in_parallel_within_the_bound(dsn, data_dir, monkeypatch, workers):
    _edge_files(data_dir)
    for day in range(10, 20):  # enough work that feeds overlap when they may
        write_csv(data_dir / "landing/T.D01", f"hoso_202401{day}.csv",
                  [case(f"T.D01-2401{day}-{n:04d}", **{"Mã đơn vị": "T.D01"})
                   for n in range(300)], encoding="cp1258")
    write_workbook(data_dir / "landing/T.D01.X01/BaoCao_HoSo_2024_01.xlsx",
                   [list(case("T.D01.X01-240105-0001", **{"Mã đơn vị": "T.D01.X01"}).values())])
    monkeypatch.setenv("CCHC_INGEST_WORKERS", str(workers))
    seen, done = [], threading.Event()

    def watch():
        while not done.is_set():
            seen.append(_busy_feeds(dsn))
            time.sleep(0.02)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        outcomes = ingest_all(dsn, data_dir, kinds=("csv", "xlsx"))
    finally:
        done.set()
        watcher.join()

    assert 1 <= max(seen) <= workers
    # sources.yml order, whatever order the workers finished in.
    assert [o.feed for o in outcomes] == ["REFERENCE", "T.S01", "T.S01",
                                          *["T.D01"] * 11, "T.D01.X01"]
    assert all(o.status == "loaded" for o in outcomes)

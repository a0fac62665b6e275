"""sources.md §3, file faults: each ends with the right rows loaded, the bad ones in
quarantine with their reason, and every delivery reconciling."""
from __future__ import annotations

from datetime import datetime

from ingest.pipeline import ingest_feed, load_reference
from tests.ingest.kit import (
    CASE_HEADER,
    case,
    deliveries,
    query,
    write_csv,
    write_reference,
    write_workbook,
)

S01 = "landing/T.S01"


def _reconciles(dsn) -> bool:
    return query(dsn, "select bool_and(rows_read = rows_loaded + rows_quarantined"
                      " and (status in ('loaded', 'superseded') or rows_read = 0))"
                      " from raw.deliveries") == [(True,)]


def test_bad_rows_go_to_quarantine_with_line_and_reason(dsn, data_dir):
    rows = [
        case("K-1", **{"Họ tên": "Lê Thị\nHoa"}),          # a quoted line break: 2 lines
        case("K-2", **{"Ngày tiếp nhận": "31/02/2024 08:00"}),
        case("K-3", **{"Mã đơn vị": "T.X99"}),
        case("K-4", **{"Mã TTHC": "9.999999"}),
        case("K-5", **{"Trạng thái": "Đang chờ"}),
        case("", **{"Họ tên": "Không mã"}),
        case("K-7"),
        # Known procedure, no version in force in 2019: loaded (dbt picks the nearest).
        case("K-8", **{"Ngày tiếp nhận": "05/06/2019 08:00"}),
    ]
    write_csv(data_dir / S01, "hoso_20240103.csv", rows)
    load_reference(dsn, data_dir)

    [outcome] = ingest_feed(dsn, data_dir, "T.S01")

    assert (outcome.status, outcome.rows_read, outcome.rows_loaded,
            outcome.rows_quarantined) == ("loaded", 8, 3, 5)
    assert query(dsn, "select case_code from raw.case_snapshots order by 1") == [
        ("K-1",), ("K-7",), ("K-8",)]
    quarantined = query(dsn, "select record_no, line_no, field, value, reason_code,"
                             " original->>'Mã hồ sơ' from raw.quarantine order by record_no")
    assert quarantined == [
        (2, 4, "Ngày tiếp nhận", "31/02/2024 08:00", "unparseable_date", "K-2"),
        (3, 5, "Mã đơn vị", "T.X99", "unknown_unit", "K-3"),
        (4, 6, "Mã TTHC", "9.999999", "unknown_procedure", "K-4"),
        (5, 7, "Trạng thái", "Đang chờ", "bad_value", "K-5"),
        (6, 8, "Mã hồ sơ", None, "missing_value", ""),
    ]
    vi, en = query(dsn, "select reason_vi, reason_en from raw.quarantine where record_no = 3")[0]
    assert "không có trong danh mục đơn vị" in vi and "T.X99" in en
    assert _reconciles(dsn)


def test_csv_without_ok_is_not_loaded_until_it_arrives(dsn, data_dir):
    write_csv(data_dir / S01, "hoso_20240103.csv", [case()], ok=None)
    load_reference(dsn, data_dir)

    [waiting] = ingest_feed(dsn, data_dir, "T.S01")
    assert ingest_feed(dsn, data_dir, "T.S01") == []          # reported once, not per run

    assert waiting.status == "not_loaded" and "hoso_20240103.csv.ok" in waiting.reason
    assert query(dsn, "select count(*) from raw.case_snapshots") == [(0,)]
    write_csv(data_dir / S01, "hoso_20240103.csv", [case()])

    [loaded] = ingest_feed(dsn, data_dir, "T.S01")

    assert deliveries(dsn, "T.S01") == [("hoso_20240103.csv", "superseded", 0, 0, 0),
                                        ("hoso_20240103.csv", "loaded", 1, 1, 0)]
    assert loaded.rows_loaded == 1
    assert _reconciles(dsn)


def test_file_cut_short_is_not_loaded(dsn, data_dir):
    # The .ok promises 3 records (one with a line break in a quoted field); 2 arrived.
    rows = [case("C-1", **{"Họ tên": "Hai\r\ndòng"}), case("C-2")]
    write_csv(data_dir / S01, "hoso_20240104.csv", rows, ok=3)
    load_reference(dsn, data_dir)

    [outcome] = ingest_feed(dsn, data_dir, "T.S01")

    assert outcome.status == "not_loaded"
    assert "says 3 records but the file holds 2" in outcome.reason
    assert query(dsn, "select reason_vi from raw.deliveries where status = 'not_loaded'") == [
        (("hoso_20240104.csv: hoso_20240104.csv.ok ghi 3 bản ghi nhưng tệp có 2"
         " (bị cắt ngắn hoặc đang ghi)"),)]
    assert _reconciles(dsn)


def test_wrong_encoding_and_not_a_csv_are_rejected_others_load(dsn, data_dir):
    folder = data_dir / S01
    write_csv(folder, "hoso_20240103.csv", [case("E-1")], encoding="cp1258")  # feed is utf-8
    write_csv(folder, "hoso_20240104.csv", [case("E-2")])
    (folder / "hoso_20240105.csv").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (folder / "hoso_20240105.csv.ok").write_text("1")
    load_reference(dsn, data_dir)

    outcomes = ingest_feed(dsn, data_dir, "T.S01")

    assert [(o.delivery, o.status) for o in outcomes] == [
        ("hoso_20240103.csv", "rejected"), ("hoso_20240104.csv", "loaded"),
        ("hoso_20240105.csv", "rejected")]
    assert "cannot be decoded as utf-8-sig" in outcomes[0].reason
    assert query(dsn, "select case_code from raw.case_snapshots") == [("E-2",)]
    assert ingest_feed(dsn, data_dir, "T.S01") == []
    assert _reconciles(dsn)


def test_missing_required_column_rejects_file_naming_it(dsn, data_dir):
    header = [h for h in CASE_HEADER if h != "Mã TTHC"]
    write_csv(data_dir / S01, "hoso_20240103.csv", [case()], header=header)
    load_reference(dsn, data_dir)

    [outcome] = ingest_feed(dsn, data_dir, "T.S01")

    assert outcome.status == "rejected"
    assert query(dsn, "select reason, reason_vi from raw.deliveries where status = 'rejected'") \
        == [("hoso_20240103.csv: required column 'Mã TTHC' is missing",
             "hoso_20240103.csv: thiếu cột bắt buộc 'Mã TTHC'")]


def test_broken_workbooks_are_rejected(dsn, data_dir):
    folder = data_dir / "landing/T.D01.X01"
    folder.mkdir(parents=True)
    (folder / "BaoCao_HoSo_2024_01.xlsx").write_text("not a workbook")
    # Header pushed below row 10 by an over-long title block.
    write_workbook(folder / "BaoCao_HoSo_2024_02.xlsx", [], title_rows=10)
    load_reference(dsn, data_dir)

    outcomes = ingest_feed(dsn, data_dir, "T.D01.X01")

    assert [o.status for o in outcomes] == ["rejected", "rejected"]
    assert "not a readable Excel workbook" in outcomes[0].reason
    assert "no header row" in outcomes[1].reason and "HoSo" in outcomes[1].reason


def test_same_case_from_two_feeds_after_vendor_change_loads_both(dsn, data_dir):
    feeds = [{"unit_code": "T.D01", "kind": "csv", "path": "landing/T.D01", "encoding": "cp1258",
              "carries": [{"unit_code": "T.D01.X01", "valid_from": "2024-07-01"}]},
             {"unit_code": "T.D01.X01", "kind": "xlsx", "path": "landing/T.D01.X01",
              "valid_to": "2024-06-30"}]
    write_reference(data_dir, feeds)
    row = ["X-1", "T.D01.X01", "1.001612", "Trực tiếp", datetime(2024, 6, 28, 8, 0), None,
           None, None, "Đang xử lý", "Công dân", "1", "A", "0", None, None, None,
           datetime(2024, 6, 28, 9, 0)]
    write_workbook(data_dir / "landing/T.D01.X01/BaoCao_HoSo_2024_06.xlsx", [row])
    write_csv(data_dir / "landing/T.D01", "hoso_20240702.csv", [case("X-1", **{
        "Mã đơn vị": "T.D01.X01", "Mã TTHC": "1.001612", "Trạng thái": "Đã trả kết quả",
        "Ngày cập nhật": "02/07/2024 10:00"})], encoding="cp1258")
    load_reference(dsn, data_dir)

    ingest_feed(dsn, data_dir, "T.D01.X01")
    ingest_feed(dsn, data_dir, "T.D01")

    assert query(dsn, "select d.feed_unit_code, s.status_code from raw.case_snapshots s"
                      " join raw.deliveries d using (load_id) order by s.updated_at") == [
        ("T.D01.X01", 4), ("T.D01", 10)]
    assert query(dsn, "select feed_unit_code, unit_code, valid_from::text, valid_to::text"
                      " from raw.ref_feeds order by 1, 2") == [
        ("T.D01", "T.D01", None, None), ("T.D01", "T.D01.X01", "2024-07-01", None),
        ("T.D01.X01", "T.D01.X01", None, "2024-06-30")]


def test_row_with_a_stray_field_is_quarantined_whole(dsn, data_dir):
    folder = data_dir / S01
    write_csv(folder, "hoso_20240103.csv", [case("F-1"), case("F-2")])
    path = folder / "hoso_20240103.csv"
    lines = path.read_bytes().split(b"\r\n")
    lines[2] += b";th\xe1\xbb\xaba"                   # "thừa": one field too many
    path.write_bytes(b"\r\n".join(lines))
    load_reference(dsn, data_dir)

    [outcome] = ingest_feed(dsn, data_dir, "T.S01")

    assert (outcome.rows_loaded, outcome.rows_quarantined) == (1, 1)
    assert query(dsn, "select line_no, field, value, reason_code, original->>'#18',"
                      " reason_vi, reason_en from raw.quarantine") == [
        (3, "(columns)", "18", "too_many_fields", "thừa",
         ("Dòng có 18 trường nhưng dòng tiêu đề chỉ có 17 cột; có thể một trường chứa dấu ';'"
          " mà không đặt trong ngoặc kép."),
         ("The row has 18 fields but the header has only 17 columns; a field may hold a ';'"
          " without being quoted."))]

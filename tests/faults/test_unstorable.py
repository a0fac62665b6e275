"""Issue #19: a field holding a character PostgreSQL text cannot store (NUL, a lone
surrogate) sends its row to quarantine, kept escaped; the other rows and deliveries load,
in CSV files, workbooks and API records alike."""
from __future__ import annotations

from datetime import date

import pytest

from ingest.mapping import check_storable
from ingest.pipeline import ingest_all
from ingest.problems import RowProblem
from ingest.unstorable import escape, may_hold, unescape
from tests.ingest.kit import (
    CASE_HEADER,
    FEEDS,
    api_feed,
    api_record,
    case,
    deliveries,
    query,
    serve_api,
    write_csv,
    write_reference,
    write_workbook,
)
from tests.ingest.test_xlsx import _row


def test_escape_is_storable_and_reversible():
    # Worked by hand: "\" doubles first, then NUL → "\x00", U+D800 → "\ud800".
    text = "a\\x00\x00b\ud800"
    assert escape(text) == "a\\\\x00\\x00b\\ud800"
    assert unescape(escape(text)) == text
    assert escape("Nguyễn Văn An") == "Nguyễn Văn An"


@pytest.mark.parametrize(("record", "field"), [
    ({"A": [{"B": "x"}, {"B": "y\x00"}]}, "A[1].B"),
    ({"A": "x", "B\ud800": 1}, "B\ud800"),
    ({"A": {"B": ["\udfff"]}}, "A.B[0]"),
])
def test_unstorable_text_named_wherever_it_sits(record, field):
    assert may_hold(record)
    with pytest.raises(RowProblem) as raised:
        check_storable(record)
    assert (raised.value.reason_code, raised.value.field) == ("unstorable_char", escape(field))


@pytest.mark.parametrize("record", [
    {"HoTen": "Nguyễn Văn An", "SoGiayTo": None, "Loai": 2, "Tien": 1.5, "Moc": date(2024, 1, 2)},
    {"LyDo": "a \\u0000 b"},  # a backslash then "u0000": text, not a NUL
    {1: ["x", {"y": True}]},
])
def test_storable_records_pass(record):
    check_storable(record)


def test_prescan_clears_only_what_holds_no_unstorable_text():
    assert not may_hold({"HoTen": "Nguyễn Văn An", "Moc": date(2024, 1, 2), "N": float("nan")})
    # A false alarm only costs the walk: the escaped-looking text and keys json cannot write.
    assert may_hold({"LyDo": "a \\u0000 b"})
    assert may_hold({(1, 2): "x"})


@pytest.fixture
def emulator(tmp_path, monkeypatch):
    records = [
        api_record("A-1", "2024-01-15T10:00:00+07:00"),
        api_record("A-2", "2024-01-16T10:00:00+07:00",
                   ChuHoSo={"LoaiDoiTuong": 1, "SoGiayTo": "031099001234",
                            "HoTen": "Lê\x00Văn Tám", "SoDienThoai": None}),
        api_record("A-3", "2024-01-17T10:00:00+07:00", QuaTrinhXuLy=[
            {"Loai": "XIN_LOI", "ThoiDiem": "2024-01-17T09:00:00+07:00",
             "NgayHenTraMoi": None, "DonViNhan": None, "LyDo": "x\ud800"}]),
        api_record("A-4", "2024-01-18T10:00:00+07:00"),
    ]
    with serve_api(tmp_path / "api", records, monkeypatch) as running:
        yield running


def test_nul_in_csv_field_workbook_cell_and_api_record(dsn, data_dir, emulator):
    write_reference(data_dir, FEEDS + [api_feed(emulator)])
    folder = data_dir / "landing/T.S01"
    # The corrupted export of the issue: NUL inside "Họ tên" of the 2nd data row (line 3).
    write_csv(folder, "hoso_20240103.csv",
              [case("C-1"), case("C-2", **{"Họ tên": "Nguyễn\x00Văn"}), case("C-3")])
    write_csv(folder, "hoso_20240104.csv", [case("C-4")])
    # Excel writes a NUL in a cell as the OOXML escape `_x0000_` (XML cannot hold it).
    nul_row = _row("X-2", "02/01/2024 08:00", "02/01/2024 09:00")
    nul_row[11] = "Trần_x0000_Thị Bình"
    write_workbook(data_dir / "landing/T.D01.X01/BaoCao_HoSo_2024_01.xlsx",
                   [_row("X-1", "02/01/2024 08:00", "02/01/2024 09:00"), nul_row])

    ingest_all(dsn, data_dir)

    # Every delivery loads (feeds in sources.yml order): 3+1 CSV rows, 2 workbook rows,
    # 4 API records, of which A-2 (NUL) and A-3 (lone surrogate) are quarantined.
    assert [d[1:] for d in deliveries(dsn) if d[0] != "reference"] == [
        ("loaded", 3, 2, 1),   # hoso_20240103.csv
        ("loaded", 1, 1, 0),   # hoso_20240104.csv
        ("loaded", 2, 1, 1),   # the workbook
        ("loaded", 4, 2, 2),   # the API window
    ]
    assert query(dsn, "select case_code from raw.case_snapshots order by 1") == [
        ("A-1",), ("A-4",), ("C-1",), ("C-3",), ("C-4",), ("X-1",)]
    quarantined = query(
        dsn, "select d.delivery, q.line_no, q.record_no, q.field, q.value, q.reason_code"
             " from raw.quarantine q join raw.deliveries d using (load_id)"
             " order by d.load_id, q.record_no")
    assert [q[1:] for q in quarantined] == [
        (3, 2, "Họ tên", "Nguyễn\\x00Văn", "unstorable_char"),
        # Title rows 1–2, blank row 3, header row 4: the NUL row is sheet row 6.
        (6, 6, "Họ tên", "Trần\\x00Thị Bình", "unstorable_char"),
        (None, 2, "ChuHoSo.HoTen", "Lê\\x00Văn Tám", "unstorable_char"),
        (None, 3, "QuaTrinhXuLy[0].LyDo", "x\\ud800", "unstorable_char"),
    ]
    assert [q[0] for q in quarantined[:2]] == ["hoso_20240103.csv", "BaoCao_HoSo_2024_01.xlsx"]
    # Position counts characters: "Nguyễn" is 6 letters in NFC, so the NUL is the 7th.
    vi, en = query(dsn, "select reason_vi, reason_en from raw.quarantine where field = 'Họ tên'"
                        " and line_no = 3")[0]
    assert en == ("Field 'Họ tên' holds the character NUL (0x00) at position 7, which the"
                  " database cannot store; the row is kept in quarantine with it escaped.")
    assert vi == ("Cột 'Họ tên' chứa ký tự NUL (0x00) ở vị trí 7, cơ sở dữ liệu không lưu"
                  " được ký tự này; dòng được giữ trong vùng cách ly với ký tự được viết thoát.")
    assert "U+D800 at position 2" in query(
        dsn, "select reason_en from raw.quarantine where field like 'QuaTrinhXuLy%%'")[0][0]
    # The original row is whole, its text escaped, and unescapes to what was delivered.
    [(original,)] = query(dsn, "select original from raw.quarantine where line_no = 3")
    assert unescape(original["Họ tên"]) == "Nguyễn\x00Văn"
    assert original["Mã hồ sơ"] == "C-2" and len(original) == 17
    [(record,)] = query(dsn, "select original from raw.quarantine where field like 'Qua%%'")
    assert unescape(record["QuaTrinhXuLy"][0]["LyDo"]) == "x\ud800"


def test_header_with_nul_rejects_the_file_naming_it(dsn, data_dir):
    write_csv(data_dir / "landing/T.S01", "hoso_20240103.csv", [case()],
              header=[*CASE_HEADER, "Ghi\x00chú"])
    write_csv(data_dir / "landing/T.S01", "hoso_20240104.csv", [case()])

    ingest_all(dsn, data_dir)

    assert query(dsn, "select delivery, status, reason from raw.deliveries"
                      " where source_kind = 'csv' order by load_id") == [
        ("hoso_20240103.csv", "rejected",
         ("hoso_20240103.csv: the header 'Ghi\\x00chú' holds a character the database"
          " cannot store (NUL or an invalid character)")),
        ("hoso_20240104.csv", "loaded", None)]

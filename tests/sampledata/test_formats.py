"""Deliveries parse back in the vendor formats of sources.md §2, byte for byte."""
from __future__ import annotations

import csv
import io
import json
import unicodedata
from datetime import datetime

import openpyxl
import yaml
from openpyxl.utils import get_column_letter

from sampledata.formats import CASE_COLUMNS, EVENT_COLUMNS, encode_cp1258
from tests.paths import SAMPLE_DELIVERIES
from tests.sampledata.readback import csv_rows

SHARED_CP1258 = SAMPLE_DELIVERIES / "landing/H99.S04/hoso_20240110.csv"


def _feeds(sample, kind):
    sources = yaml.safe_load((sample.data_dir / "reference" / "sources.yml").read_text("utf-8"))
    return [f for f in sources["sources"] if f["kind"] == kind]


def test_cp1258_matches_the_vendor_bytes():
    with open(SHARED_CP1258, "rb") as handle:
        original = handle.read()
    assert encode_cp1258(unicodedata.normalize("NFC", original.decode("cp1258"))) == original


def test_csv_files_are_complete_and_well_formed(sample):
    headers, multiline = set(), 0
    for feed in _feeds(sample, "csv"):
        encoding = feed.get("encoding", "utf-8-sig")
        for path in sorted((sample.data_dir / feed["path"]).glob("*.csv")):
            raw = path.read_bytes()
            assert raw.startswith(b"\xef\xbb\xbf") == (encoding == "utf-8-sig")
            assert raw.endswith(b"\r\n") and b"\n" not in raw.split(b"\r\n", 1)[0]
            rows = csv_rows(path, encoding)
            assert (path.parent / f"{path.name}.ok").read_text() == f"{len(rows)}\n"
            text = raw.decode(encoding)
            multiline += raw.count(b"\n") > raw.count(b"\r\n")
            header = next(csv.reader(io.StringIO(text), delimiter=";"))
            headers.add(tuple(header))
            expected = CASE_COLUMNS if path.name.startswith("hoso_") else EVENT_COLUMNS
            assert set(expected) <= {unicodedata.normalize("NFC", h) for h in header}
            if encoding == "cp1258":
                assert text != unicodedata.normalize("NFC", text)  # tone marks arrive decomposed
                assert encode_cp1258(unicodedata.normalize("NFC", text)) == raw
    assert tuple(CASE_COLUMNS) in headers
    assert any(len(h) > len(CASE_COLUMNS) for h in headers)  # extra columns
    assert any(len(h) == len(CASE_COLUMNS) and list(h) != CASE_COLUMNS and "Mã hồ sơ;" not in h
               and set(h) == set(CASE_COLUMNS) for h in headers)  # reordered
    assert multiline >= 1  # a quoted field holding a line break


def test_workbooks_follow_each_vendor_layout(sample):
    layouts = set()
    for feed in _feeds(sample, "xlsx"):
        for path in sorted((sample.data_dir / feed["path"]).glob("BaoCao_HoSo_*.xlsx")):
            book = openpyxl.load_workbook(path)
            assert "HoSo" in book.sheetnames and "SuKien" in book.sheetnames
            sheet = book["HoSo"]
            rows = list(sheet.iter_rows(values_only=True))
            header_row = next(n for n, r in enumerate(rows) if r[0] == "Mã hồ sơ") + 1
            assert rows[0][0].startswith("ỦY BAN NHÂN DÂN ")
            assert rows[1][0] == f"DANH SÁCH HỒ SƠ THÁNG {path.stem[-2:]}/{path.stem[-7:-3]}"
            assert "A1:" + get_column_letter(len(rows[header_row - 1])) + "1" in {
                str(r) for r in sheet.merged_cells.ranges}
            assert rows[-1][0].startswith("Tổng cộng")
            header = [h for h in rows[header_row - 1] if h]
            assert set(header) <= set(CASE_COLUMNS)
            data = rows[header_row:-1]
            kinds = {type(v) for r in data for v in (r[header.index("Ngày cập nhật")],)}
            layouts.add((book.sheetnames[0], header_row, "Số điện thoại" in header))
            if len(data) >= 6:
                assert kinds == {datetime, str}  # Excel dates and text dates side by side
            assert [c.value for c in book["SuKien"][1]] == EVENT_COLUMNS
    assert ("ThongKe", 4, True) in layouts and ("HoSo", 6, True) in layouts
    assert ("HoSo", 4, False) in layouts and ("HoSo", 4, True) in layouts


def test_api_records_follow_the_contract(sample):
    offsets = set()
    for feed in _feeds(sample, "api"):
        lines = (sample.api_dataset_dir / f"{feed['unit_code']}.jsonl").read_text("utf-8").splitlines()
        records = [json.loads(line) for line in lines]
        assert records
        instants = [datetime.fromisoformat(r["NgayCapNhat"]) for r in records]
        assert instants == sorted(instants)
        for record in records:
            assert set(record) >= {"MaHoSo", "MaDonVi", "MaTTHC", "KenhThucHien", "NgayTiepNhan",
                                   "NgayHenTra", "NgayKetThucXuLy", "NgayTra", "TrangThaiHoSo",
                                   "ChuHoSo", "ThanhToanTrucTuyen", "SoHoaKetQua", "DanhGia",
                                   "QuaTrinhXuLy", "NgayCapNhat"}
            offsets.add(record["NgayCapNhat"][-6:])
            for event in record["QuaTrinhXuLy"]:
                assert set(event) == {"Loai", "ThoiDiem", "NgayHenTraMoi", "DonViNhan", "LyDo"}
        units = {r["MaDonVi"] for r in records}
        carried = {c if isinstance(c, str) else c["unit_code"] for c in feed.get("carries", [])}
        assert units <= {feed["unit_code"], *carried}
    assert offsets == {"+07:00", "+00:00"}

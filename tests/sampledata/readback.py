"""Read a generated data directory back, independently of the generator and of ingest.

A deliberately small reader of the contract formats (sources.md §2): it decodes every
delivery, normalises text to NFC and gives case rows and events as dicts keyed by the
API field names, so tests can count what the files really say.
"""
from __future__ import annotations

import csv
import io
import json
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

import openpyxl
import yaml

CASE_FIELDS = {
    "Mã hồ sơ": "MaHoSo", "Mã đơn vị": "MaDonVi", "Mã TTHC": "MaTTHC",
    "Hình thức nộp": "KenhThucHien", "Ngày tiếp nhận": "NgayTiepNhan",
    "Ngày hẹn trả": "NgayHenTra", "Ngày có kết quả": "NgayKetThucXuLy",
    "Ngày trả kết quả": "NgayTra", "Trạng thái": "TrangThaiHoSo",
    "Loại chủ hồ sơ": "LoaiDoiTuong", "Số giấy tờ": "SoGiayTo", "Họ tên": "HoTen",
    "Số điện thoại": "SoDienThoai", "Thanh toán trực tuyến": "ThanhToanTrucTuyen",
    "Số hóa kết quả": "SoHoaKetQua", "Đánh giá": "DanhGia", "Ngày cập nhật": "NgayCapNhat",
}
EVENT_FIELDS = {"Mã hồ sơ": "MaHoSo", "Loại sự kiện": "Loai", "Thời điểm": "ThoiDiem",
                "Ngày hẹn trả mới": "NgayHenTraMoi", "Đơn vị nhận": "DonViNhan", "Lý do": "LyDo"}
DATE_FIELDS = {"NgayTiepNhan", "NgayHenTra", "NgayKetThucXuLy", "NgayTra", "NgayCapNhat",
               "ThoiDiem", "NgayHenTraMoi"}
LABELS = {
    "KenhThucHien": {"Trực tiếp": 1, "Trực tuyến": 2, "Bưu chính": 3},
    "TrangThaiHoSo": {"Chờ tiếp nhận": 1, "Đã tiếp nhận": 2, "Không tiếp nhận": 3,
                      "Đang xử lý": 4, "Chờ bổ sung": 5, "Chờ thực hiện nghĩa vụ tài chính": 6,
                      "Rút hồ sơ": 7, "Dừng xử lý": 8, "Đã có kết quả": 9, "Đã trả kết quả": 10},
    "LoaiDoiTuong": {"Công dân": 1, "Tổ chức": 2},
    "ThanhToanTrucTuyen": {"Có": 1, "Không": 0},
    "SoHoaKetQua": {"Có": 1, "Không": 0},
    "DanhGia": {"Rất hài lòng": 1, "Hài lòng": 2, "Không hài lòng": 3},
    "Loai": {"Yêu cầu bổ sung": "YEU_CAU_BO_SUNG", "Nhận bổ sung": "NHAN_BO_SUNG",
             "Xin lỗi": "XIN_LOI", "Chuyển liên thông": "CHUYEN_LIEN_THONG",
             "Tạm dừng": "TAM_DUNG", "Tiếp tục": "TIEP_TUC"},
}
LOCAL = timezone(timedelta(hours=7))


class Unparseable(ValueError):
    """A delivered value that the contract format does not allow."""


def parse_time(value: object) -> datetime | None:
    """A local naive datetime from text `dd/MM/yyyy HH:mm`, an Excel date or ISO with offset."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value
    text = str(value)
    try:
        if "T" in text:
            return datetime.fromisoformat(text).astimezone(LOCAL).replace(tzinfo=None)
        return datetime.strptime(text, "%d/%m/%Y %H:%M")
    except ValueError as exc:
        raise Unparseable(text) from exc


def _map(row: dict[str, object], names: dict[str, str]) -> dict[str, object]:
    record = {}
    for column, value in row.items():
        key = names.get(column)
        if key is None:
            continue  # a vendor's extra column
        if isinstance(value, str):
            value = unicodedata.normalize("NFC", value) or None
        if key in DATE_FIELDS:
            value = parse_time(value)
        elif key in LABELS and value is not None:
            value = LABELS[key][value]
        record[key] = value
    return record


@dataclass
class Delivery:
    """One delivered file (or API dataset) and its rows as read."""

    feed: str
    kind: str
    path: Path
    cases: list[dict] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)
    bad_rows: list[dict] = field(default_factory=list)


def csv_rows(path: Path, encoding: str) -> list[dict[str, str]]:
    """The data records of a `;` CSV file, in NFC."""
    text = unicodedata.normalize("NFC", path.read_bytes().decode(encoding))
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";", quotechar='"'))


def _rows_from(rows: list[dict], names: dict[str, str], delivery: Delivery, target: list) -> None:
    for row in rows:
        try:
            target.append(_map(row, names))
        except Unparseable:
            delivery.bad_rows.append(row)


def _sheet_rows(sheet) -> list[dict]:
    values = list(sheet.iter_rows(values_only=True))
    header_at = next(n for n, row in enumerate(values[:10]) if row and row[0] == "Mã hồ sơ")
    header = values[header_at]
    rows = []
    for row in values[header_at + 1:]:
        if row[0] is None or (isinstance(row[0], str) and row[0].startswith("Tổng cộng")):
            continue
        rows.append({h: v for h, v in zip(header, row) if h})
    return rows


def read_feeds(data_dir: Path, api_dir: Path) -> list[Delivery]:
    """Every delivery of every feed of `sources.yml`."""
    sources = yaml.safe_load((data_dir / "reference" / "sources.yml").read_text(encoding="utf-8"))
    deliveries = []
    for feed in sources["sources"]:
        unit, kind = feed["unit_code"], feed["kind"]
        if kind == "api":
            delivery = Delivery(unit, kind, api_dir / f"{unit}.jsonl")
            for line in delivery.path.read_text(encoding="utf-8").splitlines():
                record = json.loads(line)
                delivery.events += [
                    dict(_map_api(e), MaHoSo=record["MaHoSo"]) for e in record["QuaTrinhXuLy"]]
                delivery.cases.append(_map_api(record))
            deliveries.append(delivery)
            continue
        for path in sorted((data_dir / feed["path"]).iterdir()):
            delivery = Delivery(unit, kind, path)
            if path.suffix == ".csv":
                rows = csv_rows(path, feed.get("encoding", "utf-8-sig"))
                is_case = path.name.startswith("hoso_")
                _rows_from(rows, CASE_FIELDS if is_case else EVENT_FIELDS, delivery,
                           delivery.cases if is_case else delivery.events)
            elif path.suffix == ".xlsx":
                book = openpyxl.load_workbook(path)
                _rows_from(_sheet_rows(book["HoSo"]), CASE_FIELDS, delivery, delivery.cases)
                _rows_from(_sheet_rows(book["SuKien"]), EVENT_FIELDS, delivery, delivery.events)
            else:
                continue
            deliveries.append(delivery)
    return deliveries


def _map_api(record: dict) -> dict:
    mapped = {k: (parse_time(v) if k in DATE_FIELDS else v) for k, v in record.items()}
    mapped.update(record.get("ChuHoSo") or {})
    return mapped


@dataclass
class CaseView:
    """A case as the warehouse would see it: its newest snapshot and all its events."""

    latest: dict
    events: list[dict]


def assemble(deliveries: list[Delivery]) -> dict[str, CaseView]:
    """Newest snapshot per case (by update time) and the union of its events."""
    views: dict[str, CaseView] = {}
    for delivery in deliveries:
        for row in delivery.cases:
            view = views.get(row["MaHoSo"])
            if view is None:
                views[row["MaHoSo"]] = CaseView(row, [])
            elif row["NgayCapNhat"] >= view.latest["NgayCapNhat"]:
                view.latest = row
    seen: set[tuple] = set()
    for delivery in deliveries:
        for event in delivery.events:
            key = (event["MaHoSo"], event["Loai"], event["ThoiDiem"])
            if key not in seen and event["MaHoSo"] in views:
                seen.add(key)
                views[event["MaHoSo"]].events.append(event)
    for view in views.values():
        view.events.sort(key=lambda e: e["ThoiDiem"])
    return views

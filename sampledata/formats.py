"""The vendors' vocabulary: Vietnamese column names and labels, dates, cp1258 bytes.

Turns snapshots and events into the text rows of the CSV and workbook formats of
sources.md §2.2–2.3 and the records of §2.1.
"""
from __future__ import annotations

import unicodedata
from datetime import datetime, timedelta, timezone

from sampledata.lifecycle import Event, Snapshot

CASE_COLUMNS = [
    "Mã hồ sơ", "Mã đơn vị", "Mã TTHC", "Hình thức nộp", "Ngày tiếp nhận", "Ngày hẹn trả",
    "Ngày có kết quả", "Ngày trả kết quả", "Trạng thái", "Loại chủ hồ sơ", "Số giấy tờ",
    "Họ tên", "Số điện thoại", "Thanh toán trực tuyến", "Số hóa kết quả", "Đánh giá",
    "Ngày cập nhật",
]
EVENT_COLUMNS = ["Mã hồ sơ", "Loại sự kiện", "Thời điểm", "Ngày hẹn trả mới", "Đơn vị nhận", "Lý do"]

CHANNELS = {1: "Trực tiếp", 2: "Trực tuyến", 3: "Bưu chính"}
STATUSES = {
    1: "Chờ tiếp nhận", 2: "Đã tiếp nhận", 3: "Không tiếp nhận", 4: "Đang xử lý",
    5: "Chờ bổ sung", 6: "Chờ thực hiện nghĩa vụ tài chính", 7: "Rút hồ sơ", 8: "Dừng xử lý",
    9: "Đã có kết quả", 10: "Đã trả kết quả",
}
APPLICANT_KINDS = {1: "Công dân", 2: "Tổ chức"}
YES_NO = {1: "Có", 0: "Không"}
RATINGS = {1: "Rất hài lòng", 2: "Hài lòng", 3: "Không hài lòng"}
EVENT_TYPES = {
    "YEU_CAU_BO_SUNG": "Yêu cầu bổ sung", "NHAN_BO_SUNG": "Nhận bổ sung", "XIN_LOI": "Xin lỗi",
    "CHUYEN_LIEN_THONG": "Chuyển liên thông", "TAM_DUNG": "Tạm dừng", "TIEP_TUC": "Tiếp tục",
}

LOCAL = timezone(timedelta(hours=7))
_TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def text_date(value: datetime | None) -> str:
    """`dd/MM/yyyy HH:mm`, empty for null."""
    return value.strftime("%d/%m/%Y %H:%M") if value else ""


def _label(labels: dict[int, str], value: int | None) -> str:
    return "" if value is None else labels[value]


def case_values(snap: Snapshot) -> dict[str, object]:
    """A snapshot as case-file values (dates still as datetimes, None for empty)."""
    return {
        "Mã hồ sơ": snap.code, "Mã đơn vị": snap.unit, "Mã TTHC": snap.procedure,
        "Hình thức nộp": CHANNELS[snap.channel], "Ngày tiếp nhận": snap.received,
        "Ngày hẹn trả": snap.appointment, "Ngày có kết quả": snap.finished,
        "Ngày trả kết quả": snap.returned, "Trạng thái": STATUSES[snap.status],
        "Loại chủ hồ sơ": APPLICANT_KINDS[snap.applicant.kind],
        "Số giấy tờ": snap.applicant.id_number, "Họ tên": snap.applicant.name,
        "Số điện thoại": snap.applicant.phone,
        "Thanh toán trực tuyến": _label(YES_NO, snap.paid_online) or None,
        "Số hóa kết quả": _label(YES_NO, snap.digitised) or None,
        "Đánh giá": _label(RATINGS, snap.rating) or None, "Ngày cập nhật": snap.updated,
    }


def event_values(event: Event) -> dict[str, object]:
    """An event as event-file values (dates still as datetimes, None for empty)."""
    return {
        "Mã hồ sơ": event.case_code, "Loại sự kiện": EVENT_TYPES[event.kind],
        "Thời điểm": event.at, "Ngày hẹn trả mới": event.new_date,
        "Đơn vị nhận": event.to_unit, "Lý do": event.reason,
    }


def as_text(values: dict[str, object]) -> dict[str, str]:
    """Values as CSV text: dates `dd/MM/yyyy HH:mm`, null as empty."""
    return {k: text_date(v) if isinstance(v, datetime) else ("" if v is None else str(v))
            for k, v in values.items()}


def iso(value: datetime | None, offset: timezone = LOCAL) -> str | None:
    """An API time: ISO 8601 with seconds and the offset (local time given as naive)."""
    if value is None:
        return None
    return value.replace(tzinfo=LOCAL).astimezone(offset).isoformat()


def api_record(snap: Snapshot, events: list[Event], offset: timezone = LOCAL) -> dict:
    """A case as the API serves it (sources.md §2.1), events nested, times in `offset`."""
    return {
        "MaHoSo": snap.code, "MaDonVi": snap.unit, "MaTTHC": snap.procedure,
        "KenhThucHien": snap.channel, "NgayTiepNhan": iso(snap.received, offset),
        "NgayHenTra": iso(snap.appointment, offset), "NgayKetThucXuLy": iso(snap.finished, offset),
        "NgayTra": iso(snap.returned, offset), "TrangThaiHoSo": snap.status,
        "ChuHoSo": {"LoaiDoiTuong": snap.applicant.kind, "SoGiayTo": snap.applicant.id_number,
                    "HoTen": snap.applicant.name, "SoDienThoai": snap.applicant.phone},
        "ThanhToanTrucTuyen": snap.paid_online, "SoHoaKetQua": snap.digitised,
        "DanhGia": snap.rating,
        "QuaTrinhXuLy": [
            {"Loai": e.kind, "ThoiDiem": iso(e.at, offset), "NgayHenTraMoi": iso(e.new_date, offset),
             "DonViNhan": e.to_unit, "LyDo": e.reason}
            for e in events
        ],
        "NgayCapNhat": iso(snap.updated, offset),
    }


_CP1258_LETTERS: dict[int, str] = {}


def _cp1258_letter(char: str) -> str:
    """One precomposed letter as cp1258 writes it: vowel marks composed, tone mark apart."""
    decomposed = unicodedata.normalize("NFD", char)
    tones = "".join(c for c in decomposed if c in _TONE_MARKS)
    base = "".join(c for c in decomposed if c not in _TONE_MARKS)
    return unicodedata.normalize("NFC", base) + tones


def encode_cp1258(text: str) -> bytes:
    """Windows-1258 as old Vietnamese systems write it: tone marks as combining characters.

    The base letter keeps its vowel mark precomposed (â, ê, ô, ơ, ư, ă, đ exist in
    cp1258) and the tone follows as a combining mark, even where cp1258 has the
    precomposed letter (à, á, …): that is what these systems emit.
    """
    text = unicodedata.normalize("NFC", text)
    for char in text:
        if ord(char) > 127 and ord(char) not in _CP1258_LETTERS:
            _CP1258_LETTERS[ord(char)] = _cp1258_letter(char)
    return text.translate(_CP1258_LETTERS).encode("cp1258")

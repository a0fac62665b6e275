"""Vendor values → the national codes of the raw layer (sources.md §2.2–2.4).

File feeds (CSV and workbooks) deliver Vietnamese headers and labels; this module maps a
row given as {header: value} to the typed tuple that `raw.case_snapshots` or
`raw.case_events` stores, or raises `RowProblem` naming the field at fault.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from openpyxl.utils.datetime import from_excel

from cchc.settings import LOCAL_TZ
from ingest import unstorable
from ingest.problems import RowProblem, rejected

#: Vietnamese case-file header → raw.case_snapshots column, in the contract's order.
CASE_HEADERS: dict[str, str] = {
    "Mã hồ sơ": "case_code",
    "Mã đơn vị": "unit_code",
    "Mã TTHC": "procedure_code",
    "Hình thức nộp": "channel",
    "Ngày tiếp nhận": "received_at",
    "Ngày hẹn trả": "appointment_at",
    "Ngày có kết quả": "terminal_at",
    "Ngày trả kết quả": "returned_at",
    "Trạng thái": "status_code",
    "Loại chủ hồ sơ": "applicant_type",
    "Số giấy tờ": "applicant_id",
    "Họ tên": "applicant_name",
    "Số điện thoại": "applicant_phone",
    "Thanh toán trực tuyến": "paid_online",
    "Số hóa kết quả": "result_digitised",
    "Đánh giá": "rating",
    "Ngày cập nhật": "updated_at",
}
#: Columns a vendor may leave out (some workbooks have no phone column).
OPTIONAL_CASE_HEADERS = frozenset({"Số điện thoại"})

EVENT_HEADERS: dict[str, str] = {
    "Mã hồ sơ": "case_code",
    "Loại sự kiện": "event_type",
    "Thời điểm": "event_at",
    "Ngày hẹn trả mới": "new_appointment_at",
    "Đơn vị nhận": "receiving_unit_code",
    "Lý do": "reason",
}

#: Column order of the COPY into raw.case_snapshots / raw.case_events (after load_id, record_no).
CASE_COLUMNS: tuple[str, ...] = tuple(CASE_HEADERS.values())
EVENT_COLUMNS: tuple[str, ...] = (
    "event_no", "case_code", "event_type", "event_at",
    "new_appointment_at", "receiving_unit_code", "reason",
)
EVENT_TYPES = frozenset(
    {"YEU_CAU_BO_SUNG", "NHAN_BO_SUNG", "XIN_LOI", "CHUYEN_LIEN_THONG", "TAM_DUNG", "TIEP_TUC"}
)


def _labels(mapping: dict[str, object]) -> dict[str, object]:
    # Labels are compared case-insensitively after NFC, as vendors differ in capitalisation.
    return {unicodedata.normalize("NFC", k).casefold(): v for k, v in mapping.items()}


CHANNELS = _labels({"Trực tiếp": 1, "Trực tuyến": 2, "Bưu chính": 3, "Bưu chính công ích": 3})
STATUSES = _labels({
    "Chờ tiếp nhận": 1, "Đã tiếp nhận": 2, "Không tiếp nhận": 3, "Đang xử lý": 4,
    "Chờ bổ sung": 5, "Chờ thực hiện nghĩa vụ tài chính": 6, "Rút hồ sơ": 7,
    "Dừng xử lý": 8, "Đã có kết quả": 9, "Đã trả kết quả": 10,
})
APPLICANT_TYPES = _labels({"Công dân": 1, "Tổ chức": 2})
YES_NO = _labels({"Có": 1, "Không": 0})
RATINGS = _labels({"Rất hài lòng": 1, "Hài lòng": 2, "Không hài lòng": 3})
EVENT_LABELS = _labels({
    "Yêu cầu bổ sung": "YEU_CAU_BO_SUNG", "Nhận bổ sung": "NHAN_BO_SUNG",
    "Xin lỗi": "XIN_LOI", "Chuyển liên thông": "CHUYEN_LIEN_THONG",
    "Tạm dừng": "TAM_DUNG", "Tiếp tục": "TIEP_TUC",
})

# dd/MM/yyyy HH:mm (seconds tolerated); a regex is several times faster than strptime.
TEXT_TIME_FORMAT = "dd/MM/yyyy HH:mm"
_TEXT_TIME = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4}) (\d{1,2}):(\d{2})(?::(\d{2}))?")


@dataclass(frozen=True)
class Refs:
    """The reference codes rows are checked against (raw.ref_units, raw.ref_procedures)."""

    unit_codes: frozenset[str]
    procedure_codes: frozenset[str]


def nfc(text: str) -> str:
    """Text in Unicode NFC (cp1258 sources send base letters plus combining marks)."""
    return unicodedata.normalize("NFC", text)


def clean(value: object) -> object:
    """A delivered cell with text trimmed and normalised; empty text becomes None."""
    if isinstance(value, str):
        value = nfc(value).strip()
        return value or None
    return value


def check_storable(value: object, field: str = "") -> None:
    """Raise `unstorable_char` for the first text PostgreSQL cannot store, naming its field
    (`ChuHoSo.HoTen`, `QuaTrinhXuLy[0].LyDo` inside an API record)."""
    # Nearly every record is clean, and one dump clears it: 13 µs for an API record where
    # the walk naming fields takes 50 (which profiled at 30 s of 221 s for 240 k records).
    if unstorable.may_hold(value):
        _check_storable(value, field)


def _check_storable(value: object, field: str) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            name = f"{field}.{key}" if field else str(key)
            _check_storable(str(key), name)
            _check_storable(item, name)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_storable(item, f"{field}[{index}]")
    elif isinstance(value, str):
        found = unstorable.first(value)
        if found:
            raise RowProblem("unstorable_char", field, value, position=found[0], char=found[1])


def parse_local_time(field: str, value: object) -> datetime | None:
    """A local `dd/MM/yyyy HH:mm` text or a spreadsheet datetime as an aware datetime."""
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        # A workbook cell holding an Excel serial date without a date format.
        try:
            value = from_excel(value)
        except (ValueError, OverflowError):
            raise RowProblem("unparseable_date", field, value, expected=TEXT_TIME_FORMAT) from None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=LOCAL_TZ)
    match = _TEXT_TIME.fullmatch(value) if isinstance(value, str) else None
    if match:
        day, month, year, hour, minute, second = (int(g or 0) for g in match.groups())
        try:
            return datetime(year, month, day, hour, minute, second, tzinfo=LOCAL_TZ)
        except ValueError:
            pass  # e.g. 31/02/2024: reported below like any unparseable text
    raise RowProblem("unparseable_date", field, value, expected=TEXT_TIME_FORMAT)


def _label(field: str, value: object, labels: dict[str, object]) -> object:
    if value is None:
        return None
    code = labels.get(str(value).casefold())
    if code is None:
        raise RowProblem("bad_value", field, value)
    return code


def _required(field: str, value: object) -> object:
    if value is None:
        raise RowProblem("missing_value", field)
    return value


def _text(value: object) -> str | None:
    if value is None:
        return None
    # Workbooks may hold numeric-looking codes as numbers; keep whole numbers without ".0".
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def check_unit(field: str, code: str, refs: Refs) -> str:
    """The unit code, if units.csv knows it."""
    if code not in refs.unit_codes:
        raise RowProblem("unknown_unit", field, code)
    return code


def check_procedure(field: str, code: str, refs: Refs) -> str:
    """The procedure code, if procedures.csv knows it."""
    if code not in refs.procedure_codes:
        raise RowProblem("unknown_procedure", field, code)
    return code


@dataclass(frozen=True)
class Rule:
    """How one delivered column becomes its stored value.

    An empty cell is None, or `missing_value` when the column is required; any other
    value goes through `convert`, or is kept as text when there is none. The row path
    applies a rule to each row; the column path (`ingest.columns`) to each distinct value
    of a column, or, for a text rule, to the column at once: one definition for both.
    """

    header: str
    required: bool = False
    convert: Callable[[object, Refs], object] | None = None
    #: A local-time rule (`parse_local_time`): the column path reads its usual texts as
    #: whole columns (`ingest.columns.local_time_micros`) and hands it only the others.
    local_time: bool = False

    def __call__(self, value: object, refs: Refs | None) -> object:
        if value is None:
            if self.required:
                raise RowProblem("missing_value", self.header)
            return None
        return _text(value) if self.convert is None else self.convert(value, refs)


def _time(header: str, required: bool = False) -> Rule:
    return Rule(header, required, lambda v, refs: parse_local_time(header, v), local_time=True)


def _choice(header: str, labels: dict[str, object], required: bool = False) -> Rule:
    return Rule(header, required, lambda v, refs: _label(header, v, labels))


CASE_RULES: dict[str, Rule] = {rule.header: rule for rule in (
    Rule("Mã hồ sơ", required=True),
    Rule("Mã đơn vị", True, lambda v, refs: check_unit("Mã đơn vị", _text(v), refs)),
    Rule("Mã TTHC", True, lambda v, refs: check_procedure("Mã TTHC", _text(v), refs)),
    _choice("Hình thức nộp", CHANNELS),
    _time("Ngày tiếp nhận"),
    _time("Ngày hẹn trả"),
    _time("Ngày có kết quả"),
    _time("Ngày trả kết quả"),
    _choice("Trạng thái", STATUSES, required=True),
    _choice("Loại chủ hồ sơ", APPLICANT_TYPES),
    Rule("Số giấy tờ"),
    Rule("Họ tên"),
    Rule("Số điện thoại"),
    _choice("Thanh toán trực tuyến", YES_NO),
    _choice("Số hóa kết quả", YES_NO),
    _choice("Đánh giá", RATINGS),
    _time("Ngày cập nhật", required=True),
)}
#: Checked before the other columns, so a row lacking one reports it first.
CASE_KEY_HEADERS = ("Mã hồ sơ", "Mã đơn vị", "Mã TTHC", "Trạng thái", "Ngày cập nhật")

EVENT_RULES: dict[str, Rule] = {rule.header: rule for rule in (
    Rule("Mã hồ sơ", required=True),
    _choice("Loại sự kiện", EVENT_LABELS, required=True),
    _time("Thời điểm", required=True),
    _time("Ngày hẹn trả mới"),
    Rule("Đơn vị nhận"),
    Rule("Lý do"),
)}


def map_case_row(row: dict[str, object], refs: Refs) -> tuple:
    """A case-file row {Vietnamese header: cleaned value} as a raw.case_snapshots tuple."""
    key = {header: CASE_RULES[header](row.get(header), refs) for header in CASE_KEY_HEADERS}
    return tuple(key[header] if header in key else rule(row.get(header), refs)
                 for header, rule in CASE_RULES.items())


def map_event_row(row: dict[str, object]) -> tuple:
    """An event-file row {Vietnamese header: cleaned value} as a raw.case_events tuple."""
    # event_no 0: a file row is one event (API records number theirs).
    return (0, *(rule(row.get(header), None) for header, rule in EVENT_RULES.items()))


def check_header(headers: list[str], expected: dict[str, str], optional: frozenset[str],
                 delivery: str) -> list[str]:
    """The delivered columns outside the contract; raises if a required column is missing.

    Column order is free (vendors differ); unknown columns are schema drift, reported but
    kept out of the model.
    """
    for header in headers:
        if unstorable.first(header):
            column = unstorable.escape(header)
            raise rejected(
                f"{delivery}: the header '{column}' holds a character the database cannot"
                " store (NUL or an invalid character)",
                f"{delivery}: tiêu đề cột '{column}' chứa ký tự cơ sở dữ liệu không lưu được"
                " (NUL hoặc ký tự không hợp lệ)",
            )
    present = set(headers)
    for column in expected:
        if column not in present and column not in optional:
            raise rejected(
                f"{delivery}: required column '{column}' is missing",
                f"{delivery}: thiếu cột bắt buộc '{column}'",
            )
    return [h for h in headers if h not in expected]

"""The two kinds of data problem ingest reports, each in Vietnamese and English.

A `DeliveryProblem` stops a whole delivery (status `rejected` or `not_loaded`); a
`RowProblem` sends one row to quarantine while the rest of the delivery loads.
"""
from __future__ import annotations

from dataclasses import dataclass

from ingest.unstorable import storable

#: reason_code → (Vietnamese, English) sentences; `{field}`, `{value}` and the problem's
#: details (e.g. `{header}`, `{char}`) are filled in.
ROW_REASONS: dict[str, tuple[str, str]] = {
    "unparseable_date": (
        "Cột '{field}': '{value}' không phải ngày giờ hợp lệ (định dạng {expected}).",
        "Field '{field}': '{value}' is not a valid date and time (format {expected}).",
    ),
    "unknown_unit": (
        "Cột '{field}': mã đơn vị '{value}' không có trong danh mục đơn vị (units.csv).",
        "Field '{field}': unit code '{value}' is not in the list of units (units.csv).",
    ),
    "unknown_procedure": (
        "Cột '{field}': mã TTHC '{value}' không có trong danh mục thủ tục (procedures.csv).",
        ("Field '{field}': procedure code '{value}' is not in the list of procedures"
         " (procedures.csv)."),
    ),
    "missing_value": (
        "Cột '{field}' là bắt buộc nhưng để trống.",
        "Field '{field}' is required but empty.",
    ),
    "bad_value": (
        "Cột '{field}': giá trị '{value}' không thuộc danh sách giá trị được phép.",
        "Field '{field}': '{value}' is not one of the allowed values.",
    ),
    "too_many_fields": (
        ("Dòng có {value} trường nhưng dòng tiêu đề chỉ có {header} cột; có thể một trường"
         " chứa dấu ';' mà không đặt trong ngoặc kép."),
        ("The row has {value} fields but the header has only {header} columns; a field may"
         " hold a ';' without being quoted."),
    ),
    "too_few_fields": (
        ("Dòng chỉ có {value} trường nhưng dòng tiêu đề có {header} cột; dòng bị thiếu"
         " trường hoặc bị ngắt giữa chừng."),
        ("The row has only {value} fields but the header has {header} columns; fields are"
         " missing or the line was broken."),
    ),
    "unstorable_char": (
        ("Cột '{field}' chứa ký tự {char} ở vị trí {position}, cơ sở dữ liệu không lưu được"
         " ký tự này; dòng được giữ trong vùng cách ly với ký tự được viết thoát."),
        ("Field '{field}' holds the character {char} at position {position}, which the"
         " database cannot store; the row is kept in quarantine with it escaped."),
    ),
}
#: Longest value quoted in a reason; the whole value stays in `value` and `original`.
QUOTE_CHARS = 80


def _quote(value: str) -> str:
    return value if len(value) <= QUOTE_CHARS else value[:QUOTE_CHARS] + "…"


class RowProblem(Exception):
    """One field of one row cannot be loaded; the row goes to quarantine."""

    def __init__(self, reason_code: str, field: str, value: object = None, **details: object):
        self.reason_code = reason_code
        self.field = storable(field)
        self.value = None if value is None else storable(str(value))
        vi, en = ROW_REASONS[reason_code]
        words = {"field": self.field, "value": _quote(self.value or ""), **details}
        self.reason_vi = vi.format(**words)
        self.reason_en = en.format(**words)
        super().__init__(self.reason_en)


@dataclass
class DeliveryProblem(Exception):
    """A whole delivery cannot be loaded now.

    `status` is `not_loaded` (incomplete: it will load once whole) or `rejected`
    (it will not load as delivered).
    """

    status: str
    reason_en: str
    reason_vi: str

    def __post_init__(self) -> None:
        # A reason may quote the delivery (a marker's text), which may hold a NUL.
        self.reason_en, self.reason_vi = storable(self.reason_en), storable(self.reason_vi)

    def __str__(self) -> str:
        return f"{self.reason_en} / {self.reason_vi}"


def rejected(reason_en: str, reason_vi: str) -> DeliveryProblem:
    """A delivery that will not load as delivered."""
    return DeliveryProblem("rejected", reason_en, reason_vi)


def not_loaded(reason_en: str, reason_vi: str) -> DeliveryProblem:
    """A delivery that is not complete yet."""
    return DeliveryProblem("not_loaded", reason_en, reason_vi)


class IngestError(Exception):
    """A configuration or run problem a person must fix before ingest can go on."""

"""The two kinds of data problem ingest reports, each in Vietnamese and English.

A `DeliveryProblem` stops a whole delivery (status `rejected` or `not_loaded`); a
`RowProblem` sends one row to quarantine while the rest of the delivery loads.
"""
from __future__ import annotations

from dataclasses import dataclass

#: reason_code → (Vietnamese, English) templates; `{field}` and `{value}` are filled in.
ROW_REASONS: dict[str, tuple[str, str]] = {
    "unparseable_date": (
        "Cột '{field}': ngày giờ '{value}' không đúng định dạng dd/MM/yyyy HH:mm",
        "Field '{field}': date/time '{value}' does not parse (expected dd/MM/yyyy HH:mm)",
    ),
    "unknown_unit": (
        "Cột '{field}': mã đơn vị '{value}' không có trong danh mục đơn vị (units.csv)",
        "Field '{field}': unit code '{value}' is not in units.csv",
    ),
    "unknown_procedure": (
        "Cột '{field}': mã TTHC '{value}' không có trong danh mục thủ tục (procedures.csv)",
        "Field '{field}': procedure code '{value}' is not in procedures.csv",
    ),
    "missing_value": (
        "Cột '{field}' bắt buộc nhưng để trống",
        "Required field '{field}' is empty",
    ),
    "bad_value": (
        "Cột '{field}': giá trị '{value}' không thuộc danh sách giá trị hợp lệ",
        "Field '{field}': value '{value}' is not one of the allowed values",
    ),
}


class RowProblem(Exception):
    """One field of one row cannot be loaded; the row goes to quarantine."""

    def __init__(self, reason_code: str, field: str, value: object = None):
        self.reason_code = reason_code
        self.field = field
        self.value = None if value is None else str(value)
        vi, en = ROW_REASONS[reason_code]
        self.reason_vi = vi.format(field=field, value=self.value or "")
        self.reason_en = en.format(field=field, value=self.value or "")
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

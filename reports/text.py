"""Vietnamese number formats and labels shared by the HTML/PDF report and the workbook.

Vietnamese writes a decimal comma and groups thousands with dots ("1.234,50"), as the
CLDR data for vi_VN says (Babel prints it); a value with nothing to measure is printed
as an em dash, never as 0 or 100. Names are ordered by ICU's Vietnamese collation.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

import icu
from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

NULL_MARK = "—"
LOCALE = "vi_VN"

LEAGUE_LABELS = {
    "DEPARTMENTS": "Khối sở, ban, ngành",
    "DISTRICTS": "Khối UBND cấp huyện",
}
LEAGUE_ORDER = ("DEPARTMENTS", "DISTRICTS")

CRITERION_LABELS = {
    "TTHC_ON_TIME": "Tỷ lệ hồ sơ giải quyết đúng hạn",
    "TTHC_APOLOGY": "Xin lỗi đúng quy định khi giải quyết quá hạn",
    "TTHC_NO_OVERDUE": "Không còn hồ sơ quá hạn cuối năm",
    "DVC_ONLINE": "Tỷ lệ hồ sơ tiếp nhận trực tuyến",
    "DVC_FULL_PROCESS": "Tỷ lệ hồ sơ trực tuyến toàn trình",
    "DVC_PAYMENT": "Tỷ lệ thanh toán trực tuyến",
    "DVC_DIGITISED": "Tỷ lệ số hóa kết quả giải quyết",
    "SURVEY": "Điều tra xã hội học",
    "SATISFACTION_PCT": "Đo lường sự hài lòng",
}
# Criteria whose measure is a count of cases rather than a percentage.
COUNT_CRITERIA = frozenset({"TTHC_NO_OVERDUE"})
PERCENT_CRITERIA = frozenset(
    {
        "TTHC_ON_TIME",
        "TTHC_APOLOGY",
        "DVC_ONLINE",
        "DVC_FULL_PROCESS",
        "DVC_PAYMENT",
        "DVC_DIGITISED",
        "SATISFACTION_PCT",
    }
)
SOURCE_LABELS = {"computed": "Tính từ dữ liệu", "appraisal": "Thẩm định"}


def round_half_away(value: Decimal | float, decimals: int) -> Decimal:
    """Round as the methodology does: half away from zero (ROUND_HALF_UP on Decimal)."""
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def _pattern(decimals: int) -> str:
    """A CLDR number pattern with grouping and exactly `decimals` decimals."""
    return "#,##0" + ("." + "0" * decimals if decimals else "")


def fmt_number(value, decimals: int = 0) -> str:
    """1234.5 → "1.234,50" with decimals=2; None → "—"."""
    if value is None:
        return NULL_MARK
    # Rounded here, half away from zero: Babel would round half to even.
    return format_decimal(round_half_away(value, decimals), _pattern(decimals), locale=LOCALE)


def fmt_score(value) -> str:
    """An index score or points, always with two decimals: "90,54"."""
    return fmt_number(value, 2)


def fmt_percent(value) -> str:
    """A rate stored as percent 0–100: "97,50%"; None → "—"."""
    if value is None:
        return NULL_MARK
    return format_percent(round_half_away(value, 2) / 100, _pattern(2) + "%", locale=LOCALE)


def fmt_rank_change(change) -> str:
    """▲ 4 (moved up), ▼ 2 (moved down), "=" unchanged, "—" not ranked the year before."""
    if change is None:
        return NULL_MARK
    if change > 0:
        return f"▲ {change}"
    if change < 0:
        return f"▼ {-change}"
    return "="


def fmt_date(value: dt.date | None) -> str:
    """05/01/2026: day and month with two digits, as administrative documents write them
    (CLDR's short date for vi, "5/1/26", is too terse for a report)."""
    return NULL_MARK if value is None else format_date(value, "dd/MM/y", locale=LOCALE)


def fmt_measure(criterion_code: str, value) -> str:
    """A criterion's measure in the unit it is scored in."""
    if criterion_code in COUNT_CRITERIA:
        return fmt_number(value)
    if criterion_code in PERCENT_CRITERIA:
        return fmt_percent(value)
    return fmt_score(value)


def measure_unit(criterion_code: str) -> str:
    """What a criterion's measure counts, for the workbook's column beside it."""
    if criterion_code in COUNT_CRITERIA:
        return "hồ sơ"
    return "%" if criterion_code in PERCENT_CRITERIA else "điểm"


def criterion_label(code: str) -> str:
    return CRITERION_LABELS.get(code, code)


def join_names(names: list[str]) -> str:
    """ "A", "A và B", "A, B và C" — how a sentence lists units."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " và " + names[-1]


def long_date(day: dt.date) -> str:
    """The date line of an official document: "ngày 05 tháng 01 năm 2026"."""
    return f"ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


@cache
def _collator() -> icu.Collator:
    collator = icu.Collator.createInstance(icu.Locale("vi"))
    # Names typed on different keyboards come composed or decomposed ("ò" or "o" + U+0300).
    collator.setAttribute(icu.UCollAttribute.NORMALIZATION_MODE, icu.UCollAttributeValue.ON)
    return collator


def vi_sort_key(text: str) -> bytes:
    """Sort key of Vietnamese dictionary order (ICU's CLDR tailoring for "vi"): letters
    a < ă < â … d < đ … o < ô < ơ … u < ư first, then tones (none, huyền, hỏi, ngã, sắc,
    nặng), then case. Code-point order would put every "Đ…" after "Y…"."""
    return _collator().getSortKey(text)

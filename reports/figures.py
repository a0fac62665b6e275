"""The published figures of a report: every number it prints, keyed and rounded as printed.

A key reads `section|unit_code|period|field` (period `2025` or `2025-03`, empty for index
figures, which are yearly by nature). The hash over the sorted figures identifies the
content of an edition: the same marts give the same hash, whatever the build time.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal

from reports.bieu06 import COUNT_COLUMNS
from reports.data import ReportData
from reports.text import (
    CRITERION_LABELS,
    fmt_measure,
    fmt_number,
    fmt_percent,
    fmt_score,
    round_half_away,
)

Figures = dict[str, Decimal | None]

INDEX_FIELDS = (
    "total_score",
    "rank",
    "computed_points",
    "appraisal_points",
    "survey_points",
    "satisfaction_points",
)
RATE_FIELDS = ("on_time_rate", "apology_compliance_rate", "online_rate")
UNIT_YEAR_COUNT_FIELDS = COUNT_COLUMNS + (
    "late_cases",
    "apology_issued",
    "apology_compliant",
    "padded_appointments",
)

FIELD_LABELS = {
    "total_score": "Tổng điểm",
    "rank": "Xếp hạng",
    "computed_points": "Điểm tính từ dữ liệu",
    "appraisal_points": "Điểm thẩm định",
    "survey_points": "Điểm điều tra xã hội học",
    "satisfaction_points": "Điểm đo lường sự hài lòng",
    "measure_value": "Giá trị đo",
    "points": "Điểm",
    "received_total": "Tổng số hồ sơ tiếp nhận",
    "received_online": "Tiếp nhận trực tuyến",
    "received_direct_postal": "Tiếp nhận trực tiếp và bưu chính",
    "carried_over": "Từ kỳ trước",
    "resolved_total": "Đã giải quyết",
    "resolved_early": "Giải quyết trước hạn",
    "resolved_on_time": "Giải quyết đúng hạn",
    "resolved_late": "Giải quyết quá hạn",
    "pending_total": "Đang giải quyết",
    "pending_in_time": "Đang giải quyết trong hạn",
    "pending_overdue": "Đang giải quyết quá hạn",
    "on_time_rate": "Tỷ lệ đúng hạn",
    "late_cases": "Hồ sơ quá hạn phải xin lỗi",
    "apology_issued": "Đã có phiếu xin lỗi",
    "apology_compliant": "Xin lỗi đúng quy định",
    "apology_compliance_rate": "Tỷ lệ xin lỗi đúng quy định",
    "online_rate": "Tỷ lệ trực tuyến",
    "padded_appointments": "Hẹn trả kéo dài",
}
SCORE_KEYS = frozenset(INDEX_FIELDS) - {"rank"} | {"points"}


def _key(section: str, unit: str, period: str, field: str) -> str:
    return f"{section}|{unit}|{period}|{field}"


def _value(value, decimals: int) -> Decimal | None:
    return None if value is None else round_half_away(value, decimals)


def published_figures(data: ReportData) -> Figures:
    """Every figure the report prints, rounded to the decimals it is printed with."""
    figures: Figures = {}
    for rows in data.leagues.values():
        for row in rows:
            unit = row["ranking_unit_code"]
            for field in INDEX_FIELDS:
                decimals = 0 if field == "rank" else 2
                figures[_key("index", unit, "", field)] = _value(row[field], decimals)
    for unit, rows in data.criteria.items():
        for row in rows:
            period = row["criterion_code"]
            figures[_key("criteria", unit, period, "measure_value")] = _value(
                row["measure_value"], 2
            )
            figures[_key("criteria", unit, period, "points")] = _value(row["points"], 2)
    year = str(data.year)
    for row in data.unit_years:
        for field in UNIT_YEAR_COUNT_FIELDS:
            figures[_key("units", row["unit_code"], year, field)] = _value(row[field], 0)
        for field in RATE_FIELDS:
            figures[_key("units", row["unit_code"], year, field)] = _value(row[field], 2)
    for unit, months in data.unit_months.items():
        for row in months:
            period = f"{data.year}-{row['period_month']:02d}"
            for field in COUNT_COLUMNS:
                figures[_key("units", unit, period, field)] = _value(row[field], 0)
            figures[_key("units", unit, period, "on_time_rate")] = _value(row["on_time_rate"], 2)
    return figures


def figures_hash(figures: Figures) -> str:
    """SHA-256 over `key=value` lines in key order; null prints as `null`."""
    digest = hashlib.sha256()
    for key in sorted(figures):
        value = figures[key]
        digest.update(f"{key}={'null' if value is None else value}\n".encode())
    return digest.hexdigest()


def describe_key(key: str, unit_name) -> str:
    """A figure key in words for the restatement log: "UBND huyện A – 2025 – Tổng điểm"."""
    section, unit, period, field = key.split("|")
    parts = [unit_name(unit)]
    if section == "criteria":
        parts.append(CRITERION_LABELS.get(period, period))
    elif period:
        parts.append(f"tháng {period[5:]}/{period[:4]}" if "-" in period else f"năm {period}")
    parts.append(FIELD_LABELS.get(field, field))
    return " – ".join(parts)


#: The mart each yearly unit figure is read from (reports.data._read_unit_years); the
#: Biểu 06 counts and the on-time rate come from mart_on_time_yearly.
_UNIT_YEAR_TABLES = {
    "late_cases": "mart_apology_letters_yearly",
    "apology_issued": "mart_apology_letters_yearly",
    "apology_compliant": "mart_apology_letters_yearly",
    "apology_compliance_rate": "mart_apology_letters_yearly",
    "padded_appointments": "mart_overdue_yearly",
    "online_rate": "mart_online_service_rate_yearly",
}


def figure_source(key: str) -> tuple[str, str, str, str]:
    """(unit code, mart table, column, period) a figure key is read from."""
    section, unit, period, field = key.split("|")
    if section == "index":
        return unit, "marts.mart_par_index", field, ""
    if section == "criteria":
        # the period slot holds the criterion: the mart's row is the year's
        return unit, "marts.mart_par_index_criteria", field, f"criterion_code={period}"
    if "-" in period:
        return unit, "marts.mart_on_time", field, period
    return unit, f"marts.{_UNIT_YEAR_TABLES.get(field, 'mart_on_time_yearly')}", field, period


def format_figure(key: str, value: Decimal | None) -> str:
    """A stored figure printed the way the report prints it."""
    section, _unit, period, field = key.split("|")
    if section == "criteria" and field == "measure_value":
        return fmt_measure(period, value)
    if field in RATE_FIELDS:
        return fmt_percent(value)
    if field in SCORE_KEYS:
        return fmt_score(value)
    return fmt_number(value)

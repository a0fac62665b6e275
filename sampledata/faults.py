"""Delivery faults of sources.md §3 that must not block the report.

A few rows whose dates do not parse, a row with a procedure code that is in no
catalogue, and a day delivered twice (the first version wrong, the second corrected).
A case code appearing twice in one file comes from the vendors that write one row per
change (`every_change`), and a line break inside a field from multi-line reasons.
Targets are fixed (unit, month of the first year) so tests and readers can find them.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sampledata.province import UNKNOWN_PROCEDURE


@dataclass(frozen=True)
class FaultRecord:
    """Where a deliberate fault was put: unit, file name, case code, what is wrong."""

    kind: str  # bad_date | unknown_procedure | resent
    unit_code: str
    file_name: str
    case_code: str
    detail: str


#: CSV faults: unit → (fault kind, month of the first sample year, column, bad text).
CSV_FAULTS = {
    "H99.S06": ("bad_date", 3, "Ngày hẹn trả", "31/02/{year} 17:00"),
    "H99.D06": ("bad_date", 4, "Ngày tiếp nhận", "15/13/{year} 08:00"),
    "H99.D08": ("unknown_procedure", 5, "Mã TTHC", UNKNOWN_PROCEDURE),
    "H99.S08": ("resent", 4, "Trạng thái", "Đã trả kết quả"),
}
#: Workbook fault: a text date that does not parse, in a month's HoSo sheet (on a case
#: still open if the month has one, so that its later snapshots repair it).
XLSX_BAD_DATE = ("H99.D04.X02", 6, "Ngày hẹn trả", "30/02/{year} 17:00")

IN_PROGRESS_LABEL = "Đang xử lý"


def case_file_name(day: date) -> str:
    """The daily case file's name."""
    return f"hoso_{day:%Y%m%d}.csv"


def apply_csv_fault(unit_code: str, first_year: int, day_rows: dict[date, list[dict[str, str]]],
                    ) -> tuple[list[FaultRecord], dict[date, list[dict[str, str]]]]:
    """Put the unit's CSV fault into its daily case rows (in place).

    Returns the fault records and, for a re-sent day, the rows of the first (wrong)
    delivery, keyed by day; `day_rows` keeps the corrected version.
    """
    if unit_code not in CSV_FAULTS:
        return [], {}
    kind, month, column, bad = CSV_FAULTS[unit_code]
    bad = bad.format(year=first_year)
    # From the target month on: at a small scale the month may lack a suitable row.
    for day in sorted(d for d in day_rows if (d.year, d.month) >= (first_year, month)):
        rows = day_rows[day]
        if kind == "bad_date":
            target = next((r for r in rows if r["Trạng thái"] == IN_PROGRESS_LABEL), None)
            if target is None:
                continue
            target[column] = bad
            return [FaultRecord(kind, unit_code, case_file_name(day), target["Mã hồ sơ"],
                                f"{column} = {bad}")], {}
        if kind == "unknown_procedure":
            stray = dict(rows[0], **{column: bad, "Mã hồ sơ": _stray_code(unit_code, day, 9001)})
            rows.append(stray)
            return [FaultRecord(kind, unit_code, case_file_name(day), stray["Mã hồ sơ"],
                                f"{column} = {bad}")], {}
        if len(rows) >= 2 and rows[0][column] != bad:
            wrong = [dict(r) for r in rows]
            wrong[0][column] = bad
            retracted = dict(rows[-1], **{"Mã hồ sơ": _stray_code(unit_code, day, 9002)})
            wrong.append(retracted)
            detail = (f"first delivery said {column} = {bad} for {rows[0]['Mã hồ sơ']} and had "
                      f"{retracted['Mã hồ sơ']}, which the corrected one retracts")
            return [FaultRecord(kind, unit_code, case_file_name(day), rows[0]["Mã hồ sơ"],
                                detail)], {day: wrong}
    return [], {}


def _stray_code(unit_code: str, day: date, number: int) -> str:
    return f"{unit_code}-{day:%y%m%d}-{number:04d}"

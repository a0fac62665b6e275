"""Monthly workbooks of older commune systems (sources.md §2.3): `BaoCao_HoSo_YYYY_MM.xlsx`.

Sheet `HoSo` has a merged title block above the header row, the month's last snapshot
of every case received or changed in it, dates as Excel date cells or as text, and a
`Tổng cộng` row; sheet `SuKien` holds the month's events. Dialects: `standard` (a
repeated row, as the vendor's export does), `summary_sheet` (a `ThongKe` sheet first),
`long_title` (a four-line title block) and `no_phone` (no `Số điện thoại` column).

Workbooks are byte-identical across runs: document properties get fixed times and the
zip archive is rewritten with fixed member timestamps (openpyxl stamps both with the
current time).
"""
from __future__ import annotations

import calendar
import io
import zipfile
from collections import defaultdict
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

from sampledata.faults import XLSX_BAD_DATE, FaultRecord
from sampledata.feeds import Feed
from sampledata.formats import CASE_COLUMNS, EVENT_COLUMNS, case_values, event_values, text_date
from sampledata.lifecycle import Event, Snapshot
from sampledata.province import UNITS_BY_CODE

FIXED_TIME = datetime(2020, 1, 1)
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
DATE_FORMAT = "dd/mm/yyyy hh:mm"


def workbook_name(year: int, month: int) -> str:
    """The monthly workbook's file name."""
    return f"BaoCao_HoSo_{year}_{month:02d}.xlsx"


def save_deterministic(workbook: Workbook, path: Path) -> None:
    """Save a workbook whose bytes depend on its content only."""
    workbook.properties.creator = "openpyxl"
    workbook.properties.created = workbook.properties.modified = FIXED_TIME
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).save()
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            info = zipfile.ZipInfo(member.filename, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = member.external_attr
            target.writestr(info, source.read(member.filename))


def _cell(value: object, as_text: bool) -> object:
    """Dates go in as Excel dates or, for some cells, as text (both occur in one workbook)."""
    if isinstance(value, datetime) and as_text:
        return text_date(value)
    return value


def _title_block(unit_code: str, year: int, month: int, dialect: str) -> list[str]:
    name = UNITS_BY_CODE[unit_code].name.replace("UBND ", "ỦY BAN NHÂN DÂN ").upper()
    lines = [name, f"DANH SÁCH HỒ SƠ THÁNG {month:02d}/{year}"]
    if dialect == "long_title":
        last = calendar.monthrange(year, month)[1]
        lines += [f"Kỳ báo cáo: từ ngày 01/{month:02d}/{year} đến ngày {last:02d}/{month:02d}/{year}",
                  "Đơn vị tính: hồ sơ"]
    return lines


def _build(feed: Feed, year: int, month: int, snapshots: list[Snapshot], events: list[Event],
           bad_date: tuple[str, str, str] | None) -> Workbook:
    columns = [c for c in CASE_COLUMNS if not (feed.dialect == "no_phone" and c == "Số điện thoại")]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "HoSo"
    if feed.dialect == "summary_sheet":
        summary = workbook.create_sheet("ThongKe", 0)
        summary.append(["Thống kê tháng", f"{month:02d}/{year}"])
        summary.append(["Tổng số hồ sơ", len(snapshots)])
    for line in _title_block(feed.unit_code, year, month, feed.dialect):
        sheet.append([line])
        sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row,
                          end_column=len(columns))
    sheet.append([])
    sheet.append(columns)
    header_row = sheet.max_row
    rows = [case_values(s) for s in snapshots]
    if feed.dialect == "standard" and rows:
        rows.append(dict(rows[-1]))
    if bad_date:
        code, column, text = bad_date
        next(r for r in rows if r["Mã hồ sơ"] == code)[column] = text
    for n, values in enumerate(rows):
        sheet.append([_cell(values[c], (n + len(c)) % 3 == 0) for c in columns])
    for row in sheet.iter_rows(min_row=header_row + 1):
        for cell in row:
            if isinstance(cell.value, datetime):
                cell.number_format = DATE_FORMAT
    sheet.append([f"Tổng cộng: {len(snapshots)} hồ sơ"])

    event_sheet = workbook.create_sheet("SuKien")
    event_sheet.append(EVENT_COLUMNS)
    for n, event in enumerate(events):
        values = event_values(event)
        event_sheet.append([_cell(values[c], n % 2 == 0) for c in EVENT_COLUMNS])
    for row in event_sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, datetime):
                cell.number_format = DATE_FORMAT
    return workbook


def write_xlsx_feed(feed: Feed, snapshots: list[Snapshot], events: list[Event], data_dir: Path,
                    months: list[tuple[int, int]], first_year: int, with_faults: bool = True,
                    ) -> tuple[dict[str, int], list[FaultRecord]]:
    """Write one workbook for each of `months`; returns counts and faults.

    `snapshots` may reach past `months`: the fault's row is chosen among cases a later
    month delivers again. `with_faults` off: the fault is already in an earlier workbook.
    """
    latest: dict[tuple[int, int], dict[str, Snapshot]] = defaultdict(dict)
    for snap in snapshots:
        latest[(snap.updated.year, snap.updated.month)][snap.code] = snap
    month_events: dict[tuple[int, int], list[Event]] = defaultdict(list)
    for event in sorted(events, key=lambda e: (e.at, e.case_code)):
        month_events[(event.at.year, event.at.month)].append(event)

    folder = data_dir / feed.path
    folder.mkdir(parents=True, exist_ok=True)
    faults: list[FaultRecord] = []
    fault = _bad_date(feed, latest, first_year) if with_faults else None
    counts = {"files": 0, "records": 0, "events": len(events)}
    for year, month in months:
        cases = sorted(latest[(year, month)].values(), key=lambda s: (s.updated, s.code))
        bad = None
        if fault and fault[0] == (year, month):
            bad = fault[1:]
            faults.append(FaultRecord("bad_date", feed.unit_code, workbook_name(year, month),
                                      bad[0], f"{bad[1]} = {bad[2]}"))
        workbook = _build(feed, year, month, cases, month_events[(year, month)], bad)
        save_deterministic(workbook, folder / workbook_name(year, month))
        counts["files"] += 1
        counts["records"] += len(cases) + (1 if feed.dialect == "standard" and cases else 0)
    return counts, faults


def _bad_date(feed: Feed, latest: dict[tuple[int, int], dict[str, Snapshot]], first_year: int,
              ) -> tuple[tuple[int, int], str, str, str] | None:
    """(month, case code, column, text) of the workbook fault.

    The row chosen belongs to a case the next months deliver again, so its other
    snapshots stand; from the target month on, since a quiet month may have none.
    """
    unit, bad_month, column, text = XLSX_BAD_DATE
    if feed.unit_code != unit:
        return None
    months = sorted(m for m in latest if m >= (first_year, bad_month))
    for n, month in enumerate(months):
        later = {code for m in months[n + 1:] for code in latest[m]}
        for code in sorted(latest[month], key=lambda c: (latest[month][c].updated, c)):
            if code in later:
                return month, code, column, text.format(year=month[0])
    return None

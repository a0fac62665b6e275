"""The report's workbook: Biểu 06 in the official layout, the league tables, the criteria.

Numbers are written as numbers with number formats (Excel shows them the Vietnamese way
under a Vietnamese locale); a null stays an empty cell, never 0.

Every sheet carries its page setup, because offices print the workbook before signing:
A4, landscape for the wide tables, all columns scaled to one page width, the title and
header rows repeated on every page, the print area set to the table and a footer naming
the report, its edition and "Trang N/M".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

from reports import bieu06
from reports.data import PeriodData, ReportData
from reports.editions import Edition
from reports.organisation import Organisation
from reports.periods import Period
from reports.text import LEAGUE_LABELS, SOURCE_LABELS, criterion_label, fmt_date, measure_unit

COUNT_FORMAT = "#,##0"
SCORE_FORMAT = "0.00"
PERCENT_FORMAT = '0.00"%"'  # rates are stored as percent 0–100, not fractions

THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
BOLD = Font(bold=True)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _title(ws: Worksheet, text: str, width: int) -> None:
    ws.cell(row=1, column=1, value=text).font = Font(bold=True, size=12)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.cell(row=1, column=1).alignment = CENTER


def _header(ws: Worksheet, row: int, labels: list[str]) -> None:
    for col, label in enumerate(labels, start=1):
        cell = ws.cell(row=row, column=col, value=label)
        cell.font, cell.fill, cell.alignment, cell.border = BOLD, HEADER_FILL, CENTER, BORDER


@dataclass(frozen=True)
class PrintLayout:
    """How a sheet prints: the footer text shared by every sheet of one workbook."""

    report_name: str
    edition_label: str

    def apply(self, ws: Worksheet, *, landscape: bool, title_rows: int, columns: int) -> None:
        """A4, one page wide, rows 1..`title_rows` on every page, print area = used rows."""
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = "landscape" if landscape else "portrait"
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0  # as many pages tall as the table needs
        ws.print_options.horizontalCentered = True
        if title_rows:
            ws.print_title_rows = f"1:{title_rows}"
        ws.print_area = f"A1:{get_column_letter(columns)}{ws.max_row}"
        # Inches. The wide bottom margin keeps the footer clear of a signature and stamp.
        ws.page_margins = PageMargins(
            left=0.6, right=0.4, top=0.5, bottom=0.9, header=0.3, footer=0.35
        )
        # "&" starts a field code in header/footer text; a literal one is doubled.
        ws.oddFooter.left.text = f"{self.report_name} — {self.edition_label}".replace("&", "&&")
        ws.oddFooter.left.size = 8
        ws.oddFooter.center.text = "&A"  # the sheet's name
        ws.oddFooter.center.size = 8
        ws.oddFooter.right.text = "Trang &P/&N"
        ws.oddFooter.right.size = 8


def _write_row(ws: Worksheet, row: int, values: list, formats: list[str | None]) -> None:
    for col, (value, number_format) in enumerate(zip(values, formats), start=1):
        cell = ws.cell(row=row, column=col, value=value)
        cell.border = BORDER
        if number_format:
            cell.number_format = number_format


# A body row of a Biểu 06 sheet: STT (or None), label, the row's counts, printed bold.
Bieu06Line = tuple[int | None, str, dict, bool]


def _signature_block(ws: Worksheet, row: int, organisation: Organisation) -> None:
    """Preparer on the left, signatory on the right, room for the signature and stamp."""
    right = bieu06.COLUMN_COUNT - 3  # the signatory spans the last four columns
    lines = [
        ("NGƯỜI LẬP BIỂU", organisation.upper("signatory_title"), BOLD),
        (None, None, None),
        (None, None, None),
        (None, None, None),
        (None, organisation.text("signatory_name"), BOLD),
    ]
    for offset, (left_text, right_text, font) in enumerate(lines):
        current = row + offset
        if left_text:
            ws.cell(row=current, column=2, value=left_text).font = font
            ws.cell(row=current, column=2).alignment = CENTER
        if right_text:
            ws.cell(row=current, column=right, value=right_text).font = font
            ws.cell(row=current, column=right).alignment = CENTER
            ws.merge_cells(
                start_row=current,
                start_column=right,
                end_row=current,
                end_column=bieu06.COLUMN_COUNT,
            )
        ws.row_dimensions[current].height = 18


def _bieu06_sheet(
    wb: Workbook,
    layout: PrintLayout,
    sheet_title: str,
    title: str,
    lines: list[Bieu06Line],
    signatory: Organisation | None = None,
) -> None:
    ws = wb.create_sheet(sheet_title)
    _title(ws, title, bieu06.COLUMN_COUNT)
    ws.cell(row=2, column=1, value="(Biểu 06/VPCP/KSTT — đơn vị tính: số hồ sơ)")
    first = 3
    for cell in bieu06.HEADER_CELLS:
        top, left = first + cell.row, 1 + cell.col
        ws.cell(row=top, column=left, value=cell.label)
        if cell.colspan > 1 or cell.rowspan > 1:
            ws.merge_cells(
                start_row=top,
                start_column=left,
                end_row=top + cell.rowspan - 1,
                end_column=left + cell.colspan - 1,
            )
    number_row = first + bieu06.HEADER_ROWS
    for col, label in enumerate(bieu06.COLUMN_NUMBERS, start=1):
        ws.cell(row=number_row, column=col, value=label)
    for row in ws.iter_rows(min_row=first, max_row=number_row, max_col=bieu06.COLUMN_COUNT):
        for cell in row:
            cell.font, cell.fill, cell.alignment, cell.border = BOLD, HEADER_FILL, CENTER, BORDER
    formats = [None, None] + [COUNT_FORMAT] * len(bieu06.COUNT_COLUMNS)
    for row_no, (stt, label, counts, bold) in enumerate(lines, start=number_row + 1):
        _write_row(
            ws, row_no, [stt, label] + [counts.get(c) for c in bieu06.COUNT_COLUMNS], formats
        )
        ws.cell(row=row_no, column=1).alignment = CENTER  # STT apart from the unit's name
        if bold:
            for cell in ws[row_no]:
                cell.font = BOLD
    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 38
    for col in range(3, bieu06.COLUMN_COUNT + 1):
        ws.column_dimensions[get_column_letter(col)].width = 12
    ws.row_dimensions[first + 2].height = 45
    ws.freeze_panes = ws.cell(row=number_row + 1, column=3)
    if signatory is not None:
        _signature_block(ws, ws.max_row + 2, signatory)
    layout.apply(ws, landscape=True, title_rows=number_row, columns=bieu06.COLUMN_COUNT)


def _units_with_total(rows: list[dict], unit_name: Callable[[str], str]) -> list[Bieu06Line]:
    """A numbered line per unit's row, then the province total in bold."""
    lines: list[Bieu06Line] = [
        (stt, unit_name(row["unit_code"]), row, False) for stt, row in enumerate(rows, start=1)
    ]
    lines.append((None, "Tổng cộng", bieu06.total_row(rows), True))
    return lines


def _bieu06_sheets(
    wb: Workbook, layout: PrintLayout, data: ReportData, organisation: Organisation
) -> None:
    """The year per unit with the province total, then each unit's months under its year."""
    yearly = _units_with_total(data.unit_years, data.unit_name)
    _bieu06_sheet(
        wb,
        layout,
        "Biểu 06",
        f"TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH NĂM {data.year}",
        yearly,
        signatory=organisation,
    )
    monthly: list[Bieu06Line] = []
    for stt, row in enumerate(data.unit_years, start=1):
        monthly.append((stt, data.unit_name(row["unit_code"]), row, True))
        monthly += [
            (None, f"Tháng {m['period_month']}", m, False)
            for m in data.unit_months.get(row["unit_code"], [])
        ]
    _bieu06_sheet(
        wb,
        layout,
        "Biểu 06 theo tháng",
        f"KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH THEO THÁNG NĂM {data.year}",
        monthly,
    )


LEAGUE_HEADERS = [
    "Hạng",
    "Đơn vị",
    "Tổng điểm",
    "Thay đổi thứ hạng",
    "Hạng năm trước",
    "Xếp loại",
    "Điểm thẩm định",
    "Điểm điều tra xã hội học",
    "Điểm đo lường sự hài lòng",
    "Điểm tính từ dữ liệu",
]
LEAGUE_FORMATS = [
    "0",
    None,
    SCORE_FORMAT,
    "+0;-0;0",
    "0",
    None,
    SCORE_FORMAT,
    SCORE_FORMAT,
    SCORE_FORMAT,
    SCORE_FORMAT,
]


def _league_sheet(
    wb: Workbook, layout: PrintLayout, data: ReportData, league: str, sheet_title: str
) -> None:
    ws = wb.create_sheet(sheet_title)
    _title(
        ws,
        f"CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {data.year} — {LEAGUE_LABELS.get(league, league).upper()}",
        len(LEAGUE_HEADERS),
    )
    _header(ws, 3, LEAGUE_HEADERS)
    for offset, r in enumerate(data.leagues.get(league, []), start=4):
        _write_row(
            ws,
            offset,
            [
                r["rank"],
                data.unit_name(r["ranking_unit_code"]),
                r["total_score"],
                r["rank_change"],
                r["previous_rank"],
                r["classification"],
                r["appraisal_points"],
                r["survey_points"],
                r["satisfaction_points"],
                r["computed_points"],
            ],
            LEAGUE_FORMATS,
        )
    ws.column_dimensions["B"].width = 38
    for col in "CDEFGHIJ":
        ws.column_dimensions[col].width = 14
    ws.freeze_panes = "C4"
    layout.apply(ws, landscape=False, title_rows=3, columns=len(LEAGUE_HEADERS))


CRITERIA_HEADERS = [
    "Mã đơn vị",
    "Đơn vị",
    "Mã tiêu chí",
    "Tiêu chí",
    "Giá trị đo",
    "Đơn vị đo",
    "Điểm đạt",
    "Điểm tối đa",
    "Nguồn",
    "Phiên bản phương pháp",
]
CRITERIA_FORMATS = [
    None,
    None,
    None,
    None,
    "#,##0.00",
    None,
    SCORE_FORMAT,
    SCORE_FORMAT,
    None,
    None,
]


def _criteria_sheet(wb: Workbook, layout: PrintLayout, data: ReportData) -> None:
    ws = wb.create_sheet("Chi tiết tiêu chí")
    _title(ws, f"CHI TIẾT ĐIỂM THEO TIÊU CHÍ NĂM {data.year}", len(CRITERIA_HEADERS))
    _header(ws, 3, CRITERIA_HEADERS)
    row_no = 3
    for league_rows in data.leagues.values():
        for league_row in league_rows:
            code = league_row["ranking_unit_code"]
            for c in data.criteria.get(code, []):
                row_no += 1
                _write_row(
                    ws,
                    row_no,
                    [
                        code,
                        data.unit_name(code),
                        c["criterion_code"],
                        criterion_label(c["criterion_code"]),
                        c["measure_value"],
                        measure_unit(c["criterion_code"]),
                        c["points"],
                        c["max_points"],
                        SOURCE_LABELS.get(c["source"], c["source"]),
                        c["methodology_version"],
                    ],
                    CRITERIA_FORMATS,
                )
    for col, width in zip("ABCDEFGHIJ", (12, 34, 20, 40, 12, 10, 10, 10, 16, 14)):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "C4"
    layout.apply(ws, landscape=True, title_rows=3, columns=len(CRITERIA_HEADERS))


def _edition_sheet(wb: Workbook, layout: PrintLayout, edition: Edition) -> None:
    ws = wb.create_sheet("Thông tin phiên bản")
    rows = [
        ("Mã phiên bản", edition.edition_id),
        ("Năm báo cáo", edition.report_year),
        ("Lần công bố", edition.edition_no),
        ("Phiên bản phương pháp", edition.methodology_version),
        ("Lượt kiểm tra chất lượng", edition.quality_run_id),
        ("Số lô dữ liệu", len(edition.load_ids)),
        ("Ngày chốt số liệu", fmt_date(edition.provenance.cutoff_date)),
        ("Phiên bản dbt", edition.provenance.dbt_version),
        ("Lần dựng kho dữ liệu", edition.provenance.marts_build),
        ("Mã băm số liệu (SHA-256)", edition.figures_hash),
        ("Kiểm tra lại", f"cchc report --verify {edition.edition_id}"),
        ("Số liệu điều chỉnh so với lần trước", len(edition.changes)),
    ]
    for row_no, (label, value) in enumerate(rows, start=1):
        ws.cell(row=row_no, column=1, value=label).font = BOLD
        ws.cell(row=row_no, column=2, value=value)
    ws.column_dimensions["A"].width = 36
    ws.column_dimensions["B"].width = 70
    layout.apply(ws, landscape=False, title_rows=0, columns=2)


def write_workbook(
    data: ReportData, edition: Edition, organisation: Organisation, path: Path
) -> Path:
    """Write the workbook of the report to `path`."""
    layout = PrintLayout(
        f"Báo cáo Chỉ số cải cách hành chính năm {data.year}",
        f"lần công bố {edition.edition_no}",
    )
    wb = Workbook()
    wb.remove(wb.active)
    _bieu06_sheets(wb, layout, data, organisation)
    _league_sheet(wb, layout, data, "DEPARTMENTS", "Xếp hạng khối sở")
    _league_sheet(wb, layout, data, "DISTRICTS", "Xếp hạng khối huyện")
    _criteria_sheet(wb, layout, data)
    _edition_sheet(wb, layout, edition)
    wb.save(path)
    return path


def write_period_workbook(
    period: Period, data: PeriodData, organisation: Organisation, path: Path
) -> Path:
    """The Biểu 06 of `period`, one sheet, laid out and printed as the yearly one."""
    layout = PrintLayout(
        f"Báo cáo tình hình, kết quả giải quyết TTHC {period.phrase}",
        f"kỳ {period.start:%d/%m/%Y}–{min(period.end, data.cutoff_date):%d/%m/%Y}",
    )
    wb = Workbook()
    wb.remove(wb.active)
    _bieu06_sheet(
        wb,
        layout,
        "Biểu 06",
        f"TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH {period.label}",
        _units_with_total(data.unit_rows, data.unit_name),
        signatory=organisation,
    )
    wb.save(path)
    return path

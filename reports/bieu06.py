"""The official layout of Biểu 06/VPCP/KSTT, shared by the HTML/PDF tables and the workbook.

The form has three header rows (group, sub-group, leaf) and a row of column numbers
(1)…(13). Each header cell is described once here with its row, first column, width and
height in that grid, so the HTML `colspan`/`rowspan` and the worksheet merges cannot drift
apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from expectations import bieu06

# Mart column (marts.md, rules.md §6) behind form columns (3)…(13), in form order.
COUNT_COLUMNS = bieu06.COUNT_COLUMNS
HEADER_ROWS = 3
COLUMN_COUNT = 2 + len(COUNT_COLUMNS)


@dataclass(frozen=True)
class HeaderCell:
    """One header cell; row and col are 0-based positions in the header grid."""

    label: str
    row: int
    col: int
    colspan: int = 1
    rowspan: int = 1


HEADER_CELLS = (
    HeaderCell("STT", 0, 0, rowspan=3),
    HeaderCell("Đơn vị", 0, 1, rowspan=3),
    HeaderCell("Số hồ sơ nhận giải quyết", 0, 2, colspan=4),
    HeaderCell("Số hồ sơ đã giải quyết", 0, 6, colspan=4),
    HeaderCell("Số hồ sơ đang giải quyết", 0, 10, colspan=3),
    HeaderCell("Tổng số hồ sơ tiếp nhận", 1, 2, rowspan=2),
    HeaderCell("Trong kỳ", 1, 3, colspan=2),
    HeaderCell("Từ kỳ trước", 1, 5, rowspan=2),
    HeaderCell("Tổng số", 1, 6, rowspan=2),
    HeaderCell("Trước hạn", 1, 7, rowspan=2),
    HeaderCell("Đúng hạn", 1, 8, rowspan=2),
    HeaderCell("Quá hạn", 1, 9, rowspan=2),
    HeaderCell("Tổng số", 1, 10, rowspan=2),
    HeaderCell("Trong hạn", 1, 11, rowspan=2),
    HeaderCell("Quá hạn", 1, 12, rowspan=2),
    HeaderCell("Trực tuyến", 2, 3),
    HeaderCell("Trực tiếp và dịch vụ bưu chính", 2, 4),
)

COLUMN_NUMBERS = tuple(f"({n})" for n in range(1, COLUMN_COUNT + 1))

# The per-unit monthly summary of the PDF: months across, these Biểu 06 columns down
# (the full monthly form is in the workbook). Kind "rate" prints as a percentage.
MONTHLY_SUMMARY_ROWS = (
    ("received_total", "Tổng số hồ sơ tiếp nhận (3)", "count"),
    ("resolved_total", "Đã giải quyết (7)", "count"),
    ("resolved_late", "Giải quyết quá hạn (10)", "count"),
    ("pending_overdue", "Đang giải quyết quá hạn (13)", "count"),
    ("on_time_rate", "Tỷ lệ trước hạn và đúng hạn", "rate"),
)


def header_rows() -> list[list[HeaderCell]]:
    """Header cells grouped by row, each row in column order (how HTML lays them out)."""
    rows: list[list[HeaderCell]] = [[] for _ in range(HEADER_ROWS)]
    for cell in sorted(HEADER_CELLS, key=lambda c: (c.row, c.col)):
        rows[cell.row].append(cell)
    return rows


def total_row(rows: list[dict]) -> dict[str, int]:
    """The province total: every count column summed (all of them are additive)."""
    return {column: sum(row[column] or 0 for row in rows) for column in COUNT_COLUMNS}

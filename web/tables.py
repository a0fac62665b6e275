"""A page's tables as data: rendered as HTML, or exported to CSV and XLSX unchanged."""
from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal

from openpyxl import Workbook

from reports.text import fmt_date, fmt_number, fmt_percent, fmt_rank_change, fmt_score

CHANNEL_LABELS = {"DIRECT": "Trực tiếp", "ONLINE": "Trực tuyến", "POSTAL": "Bưu chính"}
TIMELINESS_LABELS = {"EARLY": "Trước hạn", "ON_TIME": "Đúng hạn", "LATE": "Quá hạn"}

#: How a column's values print on a page (the report's own formats, reports/text.py).
FORMATS = {
    "count": lambda v: fmt_number(v),
    "score": fmt_score,
    "percent": fmt_percent,
    "rank_change": fmt_rank_change,
    "date": fmt_date,
    "text": lambda v: "" if v is None else str(v),
    "channel": lambda v: CHANNEL_LABELS.get(v, v or ""),
    "timeliness": lambda v: TIMELINESS_LABELS.get(v, "Đang giải quyết"),
    "flag": lambda v: "" if v is None else ("Có" if v else "Không"),
}


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = "text"


@dataclass
class Table:
    """Rows of dicts under labelled columns; `links` maps (row index, key) to a URL."""

    key: str
    title: str
    columns: list[Column]
    rows: list[dict]
    links: dict[tuple[int, str], str] = field(default_factory=dict)

    def cell(self, row: dict, column: Column) -> str:
        return FORMATS[column.kind](row.get(column.key))


def _plain(value):
    """A cell as the spreadsheet should hold it: numbers stay numbers, dates stay dates."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, bool):
        return "Có" if value else "Không"
    return value


def to_csv(table: Table) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens the Vietnamese headers correctly."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([c.label for c in table.columns])
    for row in table.rows:
        writer.writerow(["" if (v := _plain(row.get(c.key))) is None else v
                         for c in table.columns])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(table: Table) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = table.key[:31]
    sheet.append([c.label for c in table.columns])
    for row in table.rows:
        sheet.append([_plain(row.get(c.key)) for c in table.columns])
    for index, column in enumerate(table.columns, start=1):
        if column.kind == "date":
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                if isinstance(cell.value, dt.date):
                    cell.number_format = "dd/mm/yyyy"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


EXPORTS = {
    "csv": ("text/csv; charset=utf-8", to_csv),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", to_xlsx),
}

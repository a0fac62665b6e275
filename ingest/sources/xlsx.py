"""Kind `xlsx`: monthly workbooks `BaoCao_HoSo_YYYY_MM.xlsx` (sources.md §2.3).

Sheets are found by name (`HoSo`, `SuKien`; others such as a summary sheet are
ignored) and each header row by its content within the first rows, since title blocks
vary in length. Workbooks are streamed with openpyxl's read-only mode.
"""
from __future__ import annotations

import calendar
import re
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from xml.etree.ElementTree import ParseError

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from ingest.land import Parsed
from ingest.mapping import (
    CASE_HEADERS,
    EVENT_HEADERS,
    OPTIONAL_CASE_HEADERS,
    Refs,
    check_header,
    clean,
    map_case_row,
    map_event_row,
)
from ingest.problems import RowProblem, rejected
from ingest.sources import FileDelivery

_NAME = re.compile(r"^BaoCao_HoSo_(\d{4})_(\d{2})\.xlsx$")
CASE_SHEET, EVENT_SHEET = "HoSo", "SuKien"
HEADER_SEARCH_ROWS = 10
TOTAL_PREFIX = "tổng cộng"


def discover(folder: Path) -> list[FileDelivery]:
    """The workbooks in a drop folder, by month; the delivery day is the month's last day."""
    found = []
    for path in folder.iterdir() if folder.is_dir() else ():
        match = _NAME.match(path.name)
        if not match or not 1 <= int(match.group(2)) <= 12:
            continue
        year, month = int(match.group(1)), int(match.group(2))
        last = calendar.monthrange(year, month)[1]
        found.append(FileDelivery(path, "cases_and_events", date(year, month, 1),
                                  date(year, month, last)))
    return sorted(found, key=lambda d: d.day)


def _find_header(rows: Iterator[tuple], expected: dict[str, str], sheet: str,
                 name: str) -> tuple[int, list[str]]:
    """(row number, header cells) of the row naming the first expected column."""
    first = next(iter(expected))
    for row_no, row in enumerate(rows, start=1):
        cells = [clean(c) for c in row]
        if first in cells:
            return row_no, ["" if c is None else str(c) for c in cells]
        if row_no >= HEADER_SEARCH_ROWS:
            break
    raise rejected(
        f"{name}: no header row (with '{first}') in the first {HEADER_SEARCH_ROWS} rows"
        f" of sheet {sheet}",
        f"{name}: không thấy dòng tiêu đề (có '{first}') trong {HEADER_SEARCH_ROWS} dòng đầu"
        f" của trang {sheet}",
    )


class Workbook:
    """The records of one workbook: cases of `HoSo`, then events of `SuKien`."""

    def __init__(self, delivery: FileDelivery, refs: Refs):
        self._delivery = delivery
        self._refs = refs
        name = delivery.name
        try:
            self._book = openpyxl.load_workbook(delivery.path, read_only=True, data_only=True)
        except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as exc:
            raise rejected(f"{name}: not a readable Excel workbook ({exc})",
                           f"{name}: không phải tệp Excel đọc được") from exc
        if CASE_SHEET not in self._book.sheetnames:
            self._book.close()
            raise rejected(f"{name}: no sheet named '{CASE_SHEET}'",
                           f"{name}: không có trang tính tên '{CASE_SHEET}'")
        self.extra_columns: list[str] = []
        self._sheets = []
        try:
            for sheet, expected, optional, kind in (
                (CASE_SHEET, CASE_HEADERS, OPTIONAL_CASE_HEADERS, "case"),
                (EVENT_SHEET, EVENT_HEADERS, frozenset(), "event"),
            ):
                if sheet not in self._book.sheetnames:
                    continue
                rows = self._book[sheet].iter_rows(values_only=True)
                header_row, header = _find_header(rows, expected, sheet, name)
                self.extra_columns += check_header(
                    [h for h in header if h], expected, optional, f"{name} [{sheet}]")
                self._sheets.append((kind, rows, header_row, header))
        except BaseException:
            self._book.close()
            raise

    def __iter__(self) -> Iterator[Parsed]:
        try:
            for kind, rows, header_row, header in self._sheets:
                yield from self._sheet_records(kind, rows, header_row, header)
        except (zipfile.BadZipFile, ParseError, KeyError, OSError) as exc:
            # A workbook damaged past its first rows is rejected whole, like one that
            # does not open: its transaction rolls back what was already copied.
            name = self._delivery.name
            raise rejected(f"{name}: the workbook is damaged ({exc})",
                           f"{name}: tệp Excel bị hỏng") from exc
        finally:
            self._book.close()

    def _sheet_records(self, kind: str, rows, header_row: int,
                       header: list[str]) -> Iterator[Parsed]:
        for row_no, row in enumerate(rows, start=header_row + 1):
            cells = [clean(c) for c in row]
            if all(c is None for c in cells):
                continue
            first = cells[0]
            if isinstance(first, str) and first.casefold().startswith(TOTAL_PREFIX):
                continue
            original = {h: c for h, c in zip(header, cells) if h}
            item = Parsed(kind, row_no, row_no, original)
            try:
                if kind == "case":
                    item.case = map_case_row(original, self._refs)
                else:
                    item.events = [map_event_row(original)]
            except RowProblem as problem:
                item.problem = problem
            yield item

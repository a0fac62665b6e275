"""Kind `xlsx`: monthly workbooks `BaoCao_HoSo_YYYY_MM.xlsx` (sources.md §2.3).

Sheets are found by name (`HoSo`, `SuKien`; others such as a summary sheet are
ignored) and each header row by its content within the first rows, since title blocks
vary in length. Workbooks are streamed with openpyxl's read-only mode.
"""
from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import openpyxl

from ingest.land import Parsed
from ingest.mapping import (
    CASE_HEADERS,
    EVENT_HEADERS,
    OPTIONAL_CASE_HEADERS,
    Refs,
    check_header,
    check_storable,
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
# OOXML writes a character XML cannot hold (NUL, other controls) as `_xHHHH_`; Excel
# reads it back as that character and so do we (openpyxl leaves the escape as text).
_OOXML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


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


def _cell(value: object) -> object:
    """A cell's value as delivered, OOXML escapes decoded, then cleaned like a CSV field."""
    if isinstance(value, str):
        value = _OOXML_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), value)
    return clean(value)


def _damaged(name: str, exc: Exception):
    return rejected(f"{name}: the workbook is damaged ({type(exc).__name__}: {exc})",
                    f"{name}: tệp Excel bị hỏng")


def _rows(rows: Iterator[tuple], name: str) -> Iterator[tuple]:
    """openpyxl's rows; any failure inside openpyxl means the workbook is damaged."""
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        # openpyxl's failures on a damaged file are many (zip, zlib, XML, KeyError,
        # ValueError …); only openpyxl runs inside this try.
        except Exception as exc:
            raise _damaged(name, exc) from exc
        yield row


def _find_header(rows: Iterator[tuple], expected: dict[str, str], sheet: str,
                 name: str) -> tuple[int, list[str]]:
    """(row number, header cells) of the row naming the first expected column."""
    first = next(iter(expected))
    for row_no, row in enumerate(rows, start=1):
        cells = [_cell(c) for c in row]
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
        # As in `_rows`: whatever openpyxl raises on a file it cannot open.
        except Exception as exc:
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
                rows = _rows(self._book[sheet].iter_rows(values_only=True), name)
                header_row, header = _find_header(rows, expected, sheet, name)
                self.extra_columns += check_header(
                    [h for h in header if h], expected, optional, f"{name} [{sheet}]")
                self._sheets.append((kind, rows, header_row, header))
        except BaseException:
            self._book.close()
            raise

    def __iter__(self) -> Iterator[Parsed]:
        # A workbook damaged past its first rows is rejected whole (`_rows`), like one that
        # does not open: its transaction rolls back what was already copied.
        try:
            for kind, rows, header_row, header in self._sheets:
                yield from self._sheet_records(kind, rows, header_row, header)
        finally:
            self._book.close()

    def _sheet_records(self, kind: str, rows, header_row: int,
                       header: list[str]) -> Iterator[Parsed]:
        for row_no, row in enumerate(rows, start=header_row + 1):
            cells = [_cell(c) for c in row]
            if all(c is None for c in cells):
                continue
            first = cells[0]
            if isinstance(first, str) and first.casefold().startswith(TOTAL_PREFIX):
                continue
            original = {h: c for h, c in zip(header, cells) if h}
            item = Parsed(kind, row_no, row_no, original)
            try:
                check_storable(original)
                if kind == "case":
                    item.case = map_case_row(original, self._refs)
                else:
                    item.events = [map_event_row(original)]
            except RowProblem as problem:
                item.problem = problem
            yield item

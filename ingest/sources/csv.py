"""Kind `csv`: daily `hoso_YYYYMMDD.csv` / `sukien_YYYYMMDD.csv` files (sources.md §2.2).

A file loads only once its `.ok` marker holds its number of data records (a quoted
field may hold a line break, so records, not lines, are counted). Files are streamed:
one pass counts, a second maps.
"""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

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
    nfc,
)
from ingest.problems import RowProblem, not_loaded, rejected
from ingest.sources import FileDelivery

_NAME = re.compile(r"^(hoso|sukien)_(\d{8})\.csv$")
_KINDS = {"hoso": "cases", "sukien": "events"}


def discover(folder: Path) -> list[FileDelivery]:
    """The CSV deliveries in a drop folder, by day, cases before events.

    Other files (markers, temporary files, names without a valid day) are not deliveries.
    """
    found = []
    for path in folder.iterdir() if folder.is_dir() else ():
        match = _NAME.match(path.name)
        if not match:
            continue
        try:
            day = datetime.strptime(match.group(2), "%Y%m%d").date()
        except ValueError:
            continue
        found.append(FileDelivery(path, _KINDS[match.group(1)], day, day))
    return sorted(found, key=lambda d: (d.day, d.record_kind, d.name))


def _records(path: Path, encoding: str) -> Iterator[tuple[int, list[str]]]:
    """(first physical line, fields) of each non-blank record, decoding as it streams."""
    line_no = 0
    try:
        with io.TextIOWrapper(path.open("rb"), encoding=encoding, newline="") as text:
            reader = csv.reader(text, delimiter=";", quotechar='"')
            for fields in reader:
                start, line_no = line_no + 1, reader.line_num
                if fields and any(f.strip() for f in fields):
                    yield start, [nfc(f) for f in fields]
    except UnicodeDecodeError as exc:
        raise rejected(
            f"{path.name}: cannot be decoded as {encoding} near line {line_no + 1}"
            f" ({exc.reason}); wrong encoding or not a CSV file",
            f"{path.name}: không giải mã được theo bảng mã {encoding} gần dòng {line_no + 1};"
            " sai bảng mã hoặc không phải tệp CSV",
        ) from exc
    except csv.Error as exc:
        raise rejected(
            f"{path.name}: not a readable CSV file near line {line_no + 1} ({exc})",
            f"{path.name}: không phải tệp CSV đọc được (gần dòng {line_no + 1})",
        ) from exc


def check_complete(delivery: FileDelivery, encoding: str) -> None:
    """Raise `not_loaded` unless the `.ok` marker is there and counts the file's records."""
    marker = delivery.path.with_name(delivery.name + ".ok")
    name = delivery.name
    if not marker.is_file():
        raise not_loaded(
            f"{name}: no {marker.name} marker yet (still being written or cut short)",
            f"{name}: chưa có tệp đánh dấu {marker.name} (tệp đang ghi hoặc bị thiếu)",
        )
    text = marker.read_text(encoding="ascii", errors="replace").strip()
    if not text.isdigit():
        raise not_loaded(
            f"{name}: {marker.name} does not hold a record count (holds '{text[:20]}')",
            f"{name}: {marker.name} không ghi số bản ghi (nội dung '{text[:20]}')",
        )
    # The header is one record too, hence the minus one.
    actual = max(sum(1 for _ in _records(delivery.path, encoding)) - 1, 0)
    if actual != int(text):
        raise not_loaded(
            f"{name}: {marker.name} says {int(text)} records but the file holds {actual}"
            " (cut short or still being written)",
            f"{name}: {marker.name} ghi {int(text)} bản ghi nhưng tệp có {actual}"
            " (bị cắt ngắn hoặc đang ghi)",
        )


class CsvFile:
    """The records of one complete CSV delivery; `extra_columns` is the schema drift."""

    def __init__(self, delivery: FileDelivery, encoding: str, refs: Refs):
        self._delivery = delivery
        self._refs = refs
        self._records = _records(delivery.path, encoding)
        header = next(self._records, None)
        if header is None:
            raise rejected(f"{delivery.name}: the file is empty", f"{delivery.name}: tệp rỗng")
        self._header = [h.strip() for h in header[1]]
        is_cases = delivery.record_kind == "cases"
        try:
            self.extra_columns = check_header(
                self._header,
                CASE_HEADERS if is_cases else EVENT_HEADERS,
                OPTIONAL_CASE_HEADERS if is_cases else frozenset(),
                delivery.name,
            )
        except BaseException:
            self._records.close()
            raise

    def __iter__(self) -> Iterator[Parsed]:
        is_cases = self._delivery.record_kind == "cases"
        for record_no, (line_no, fields) in enumerate(self._records, start=1):
            original = dict(zip(self._header, fields))
            # Fields beyond the header are kept by position, so quarantine loses nothing.
            original.update({f"#{n}": v for n, v in enumerate(fields, start=1)
                             if n > len(self._header)})
            item = Parsed("case" if is_cases else "event", record_no, line_no, original)
            try:
                check_storable(original)
                if len(fields) != len(self._header):
                    raise RowProblem(
                        "too_many_fields" if len(fields) > len(self._header) else "too_few_fields",
                        "(columns)", len(fields), header=len(self._header))
                row = {h: clean(original[h]) for h in self._header}
                if is_cases:
                    item.case = map_case_row(row, self._refs)
                else:
                    item.events = [map_event_row(row)]
            except RowProblem as problem:
                item.problem = problem
            yield item


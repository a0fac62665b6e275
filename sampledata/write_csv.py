"""Daily CSV drops (sources.md §2.2): `hoso_YYYYMMDD.csv`, `sukien_YYYYMMDD.csv` and `.ok` files.

Dialects, as real vendors write them: `standard` (utf-8 with BOM, or cp1258 with
combining tone marks), `extra_columns` (columns nobody asked for), `reordered` (another
column order) and `every_change` (one row per change, so a case can appear twice in a
day's file). All use `;`, `"` quoting and CRLF line ends.
"""
from __future__ import annotations

import csv
import io
from collections import defaultdict
from datetime import date
from pathlib import Path

from sampledata.faults import FaultRecord, apply_csv_fault, case_file_name
from sampledata.feeds import Feed
from sampledata.formats import (
    CASE_COLUMNS,
    EVENT_COLUMNS,
    as_text,
    case_values,
    encode_cp1258,
    event_values,
)
from sampledata.lifecycle import Event, Snapshot

REORDERED_COLUMNS = [
    "Ngày cập nhật", "Mã hồ sơ", "Trạng thái", "Mã TTHC", "Mã đơn vị", "Ngày tiếp nhận",
    "Ngày hẹn trả", "Ngày có kết quả", "Ngày trả kết quả", "Hình thức nộp",
    "Thanh toán trực tuyến", "Số hóa kết quả", "Đánh giá", "Loại chủ hồ sơ", "Số giấy tờ",
    "Họ tên", "Số điện thoại",
]
EXTRA_COLUMNS = [*CASE_COLUMNS[:3], "Cán bộ tiếp nhận", *CASE_COLUMNS[3:], "Ghi chú",
                 "Mã hồ sơ liên thông"]
_DESK_OFFICERS = ["Nguyễn Thị Lan", "Trần Minh Tuấn", "Lê Thu Hà", "Phạm Quốc Khánh"]


def _columns(dialect: str) -> list[str]:
    return {"reordered": REORDERED_COLUMNS, "extra_columns": EXTRA_COLUMNS}.get(dialect, CASE_COLUMNS)


def _with_extras(row: dict[str, str], n: int) -> dict[str, str]:
    """The vendor's own columns: the desk officer, a free note, a linked case code."""
    return dict(row, **{"Cán bộ tiếp nhận": _DESK_OFFICERS[n % len(_DESK_OFFICERS)],
                        "Ghi chú": "Hồ sơ nộp qua bưu điện" if row["Hình thức nộp"] == "Bưu chính" else "",
                        "Mã hồ sơ liên thông": ""})


def encode(text: str, encoding: str | None) -> bytes:
    """The file's bytes in the feed's encoding (default utf-8 with BOM)."""
    return encode_cp1258(text) if encoding == "cp1258" else text.encode("utf-8-sig")


def render(rows: list[dict[str, str]], columns: list[str]) -> str:
    """`;`-separated text with a header row and CRLF line ends."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, columns, delimiter=";", quotechar='"', lineterminator="\r\n",
                            extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def _write_pair(folder: Path, name: str, rows: list[dict[str, str]], columns: list[str],
                encoding: str | None) -> None:
    (folder / name).write_bytes(encode(render(rows, columns), encoding))
    (folder / f"{name}.ok").write_bytes(f"{len(rows)}\n".encode("ascii"))


def daily_case_rows(feed: Feed, snapshots: list[Snapshot]) -> dict[date, list[dict[str, str]]]:
    """Each day's case rows: the day's last snapshot of each case, or every one (`every_change`)."""
    by_day: dict[date, dict[str, list[Snapshot]]] = defaultdict(dict)
    for snap in snapshots:
        by_day[snap.updated.date()].setdefault(snap.code, []).append(snap)
    rows: dict[date, list[dict[str, str]]] = {}
    for day in sorted(by_day):
        chosen = [s for versions in by_day[day].values()
                  for s in (versions if feed.dialect == "every_change" else versions[-1:])]
        chosen.sort(key=lambda s: (s.updated, s.code))
        rows[day] = [as_text(case_values(s)) for s in chosen]
        if feed.dialect == "extra_columns":
            rows[day] = [_with_extras(r, n) for n, r in enumerate(rows[day])]
    return rows


def write_csv_feed(feed: Feed, snapshots: list[Snapshot], events: list[Event], data_dir: Path,
                   resent_dir: Path, first_year: int, with_faults: bool = True,
                   ) -> tuple[dict[str, int], list[FaultRecord]]:
    """Write the daily files of the days `snapshots` and `events` cover (all of them or a
    month's); returns the counts and the faults put in, unless `with_faults` is off (the
    fault is already in an earlier month)."""
    folder = data_dir / feed.path
    columns = _columns(feed.dialect)
    case_rows = daily_case_rows(feed, snapshots)
    faults, originals = (apply_csv_fault(feed.unit_code, first_year, case_rows) if with_faults
                         else ([], {}))
    folder.mkdir(parents=True, exist_ok=True)
    for day, rows in case_rows.items():
        _write_pair(folder, case_file_name(day), rows, columns, feed.encoding)
    for day, rows in originals.items():
        (resent_dir / feed.unit_code).mkdir(parents=True, exist_ok=True)
        _write_pair(resent_dir / feed.unit_code, case_file_name(day), rows, columns, feed.encoding)

    event_rows: dict[date, list[dict[str, str]]] = defaultdict(list)
    for event in sorted(events, key=lambda e: (e.at, e.case_code)):
        event_rows[event.at.date()].append(as_text(event_values(event)))
    for day, rows in sorted(event_rows.items()):
        _write_pair(folder, f"sukien_{day:%Y%m%d}.csv", rows, EVENT_COLUMNS, feed.encoding)
    counts = {"files": 2 * (len(case_rows) + len(event_rows)),
              "records": sum(map(len, case_rows.values())),
              "events": len(events)}
    return counts, faults

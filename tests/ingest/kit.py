"""Builders of small hand-made data directories in the vendors' real formats, and fixtures.

Each test writes exactly the bytes a vendor would deliver (`;` CSV with `.ok` markers,
workbooks with title blocks, JSONL for the API emulator) into a temporary data dir.
"""
from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import openpyxl
import psycopg
import pytest
import yaml

CASE_HEADER = ["Mã hồ sơ", "Mã đơn vị", "Mã TTHC", "Hình thức nộp", "Ngày tiếp nhận",
               "Ngày hẹn trả", "Ngày có kết quả", "Ngày trả kết quả", "Trạng thái",
               "Loại chủ hồ sơ", "Số giấy tờ", "Họ tên", "Số điện thoại",
               "Thanh toán trực tuyến", "Số hóa kết quả", "Đánh giá", "Ngày cập nhật"]
EVENT_HEADER = ["Mã hồ sơ", "Loại sự kiện", "Thời điểm", "Ngày hẹn trả mới", "Đơn vị nhận",
                "Lý do"]

UNITS = """unit_code,unit_name,unit_kind,parent_code,valid_from,valid_to,successor_code
T.S01,Sở Tư pháp,DEPARTMENT,,2015-01-01,,
T.D01,UBND huyện An Lão,DISTRICT,,2015-01-01,,
T.D01.X01,UBND xã An Tiến,COMMUNE,T.D01,2015-01-01,,
T.A01,Sở Kế hoạch và Đầu tư,DEPARTMENT,,2015-01-01,,
"""
PROCEDURES = """procedure_code,procedure_name,sector,authority_level,statutory_days,online_level,valid_from,valid_to
1.001612,Đăng ký khai sinh,Hộ tịch,COMMUNE,0,FULL,2020-01-01,
2.000488,Cấp Phiếu lý lịch tư pháp,Lý lịch tư pháp,PROVINCE,10,FULL,2020-01-01,2023-12-31
2.000488,Cấp Phiếu lý lịch tư pháp,Lý lịch tư pháp,PROVINCE,7,FULL,2024-01-01,
"""
CALENDAR = "date,kind\n2024-01-01,HOLIDAY\n2024-05-04,WORKDAY\n"
APPRAISAL = "year,unit_code,criterion_code,score\n2024,T.S01,CC_THE_CHE,4.5\n"

FEEDS = [
    {"unit_code": "T.S01", "kind": "csv", "path": "landing/T.S01"},
    {"unit_code": "T.D01", "kind": "csv", "path": "landing/T.D01", "encoding": "cp1258"},
    {"unit_code": "T.D01.X01", "kind": "xlsx", "path": "landing/T.D01.X01"},
]


def case(code: str = "T.S01-240103-0001", **changes: str) -> dict[str, str]:
    """A case-file row {header: text} with plausible values; `changes` by header."""
    row = dict(zip(CASE_HEADER, [
        code, "T.S01", "2.000488", "Trực tuyến", "03/01/2024 09:12", "12/01/2024 17:00",
        "", "", "Đang xử lý", "Công dân", "031099001234", "Nguyễn Văn An", "0912345678",
        "Có", "", "", "03/01/2024 10:00"]))
    row.update(changes)
    return row


def write_reference(data_dir: Path, feeds: list[dict] | None = None,
                    units: str = UNITS) -> Path:
    """The reference folder with the test province and the given sources.yml feeds."""
    folder = data_dir / "reference"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "units.csv").write_text(units, encoding="utf-8")
    (folder / "procedures.csv").write_text(PROCEDURES, encoding="utf-8")
    (folder / "calendar.csv").write_text(CALENDAR, encoding="utf-8")
    (folder / "appraisal.csv").write_text(APPRAISAL, encoding="utf-8")
    document = {"sources": FEEDS if feeds is None else feeds}
    (folder / "sources.yml").write_text(yaml.safe_dump(document, allow_unicode=True),
                                        encoding="utf-8")
    return data_dir


def csv_text(header: list[str], rows: list[dict[str, str]]) -> str:
    """`;`-separated text with CRLF line ends, quoting fields that need it."""
    def field(value: str) -> str:
        if any(c in value for c in ';"\r\n'):
            return '"' + value.replace('"', '""') + '"'
        return value
    lines = [";".join(field(h) for h in header)]
    lines += [";".join(field(row.get(h, "")) for h in header) for row in rows]
    return "\r\n".join(lines) + "\r\n"


def cp1258_bytes(text: str) -> bytes:
    """Text as Windows Vietnamese writes it: precomposed letters where cp1258 has them,
    else a base letter plus combining tone marks (e.g. "ồ" → "ô" + U+0300)."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        try:
            out.append(char.encode("cp1258"))
            continue
        except UnicodeEncodeError:
            pass
        base, *marks = unicodedata.normalize("NFD", char)
        for mark in marks:  # e.g. "ộ" = o + dot below + circumflex: "ô" is in cp1258
            letter = unicodedata.normalize("NFC", base + mark)
            if len(letter) == 1 and letter.encode("cp1258", errors="ignore"):
                base = letter
                marks.remove(mark)
                break
        out.append((base + "".join(marks)).encode("cp1258"))
    return b"".join(out)


def write_csv(folder: Path, name: str, rows: list[dict[str, str]], header=None,
              encoding: str = "utf-8-sig", ok: bool | int | None = True) -> Path:
    """A delivered CSV file and its `.ok`: True writes the right count, an int that count,
    None no marker at all."""
    folder.mkdir(parents=True, exist_ok=True)
    header = header or (EVENT_HEADER if name.startswith("sukien") else CASE_HEADER)
    path = folder / name
    text = csv_text(header, rows)
    path.write_bytes(cp1258_bytes(text) if encoding == "cp1258" else text.encode(encoding))
    if ok is not None:
        count = len(rows) if ok is True else ok
        (folder / f"{name}.ok").write_text(f"{count}\n", encoding="ascii")
    return path


def write_workbook(path: Path, case_rows: list[list], event_rows: list[list] = (),
                   header: list[str] = CASE_HEADER, title_rows: int = 3,
                   summary_sheet: bool = False) -> Path:
    """A monthly workbook: optional summary sheet, merged title block, HoSo, SuKien."""
    path.parent.mkdir(parents=True, exist_ok=True)
    book = openpyxl.Workbook()
    first = book.active
    if summary_sheet:
        first.title = "ThongKe"
        first.append(["Thống kê tháng", None])
        first.append(["Tổng số hồ sơ", len(case_rows)])
        cases = book.create_sheet("HoSo")
    else:
        first.title = "HoSo"
        cases = first
    titles = ["ỦY BAN NHÂN DÂN XÃ AN TIẾN", "DANH SÁCH HỒ SƠ THÁNG 01/2024",
              "Kỳ báo cáo: tháng 01/2024", "Đơn vị tính: hồ sơ"]
    for i in range(title_rows):  # title lines merged across the table, then a blank row
        if i == title_rows - 1:
            cases.append([None])
            continue
        cases.append([titles[i] if i < len(titles) else f"Ghi chú {i}"])
        cases.merge_cells(start_row=i + 1, start_column=1, end_row=i + 1,
                          end_column=len(header))
    cases.append(header)
    for row in case_rows:
        cases.append(row)
    cases.append([f"Tổng cộng: {len(case_rows)} hồ sơ"])
    events = book.create_sheet("SuKien")
    events.append(EVENT_HEADER)
    for row in event_rows:
        events.append(row)
    book.save(path)
    return path


def write_api_dataset(folder: Path, unit: str, records: list[dict]) -> Path:
    """`<folder>/<unit>.jsonl` for the API emulator (ASCII JSON: `\\u` escapes carry any
    text, a lone surrogate included)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{unit}.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="ascii")
    return path


def api_record(code: str, updated: str, unit: str = "T.A01", **changes) -> dict:
    """An API record (sources.md §2.1) with plausible values."""
    record = {
        "MaHoSo": code, "MaDonVi": unit, "MaTTHC": "2.000488", "KenhThucHien": 2,
        "NgayTiepNhan": "2024-01-15T09:12:00+07:00", "NgayHenTra": "2024-01-24T17:00:00+07:00",
        "NgayKetThucXuLy": None, "NgayTra": None, "TrangThaiHoSo": 4,
        "ChuHoSo": {"LoaiDoiTuong": 1, "SoGiayTo": "031099001234", "HoTen": "Nguyễn Văn An",
                    "SoDienThoai": "0912345678"},
        "ThanhToanTrucTuyen": 1, "SoHoaKetQua": None, "DanhGia": None, "QuaTrinhXuLy": [],
        "NgayCapNhat": updated,
    }
    record.update(changes)
    return record


TOKEN_ENV = "TEST_TOKEN_T_A01"


@contextmanager
def serve_api(folder: Path, records: list[dict], env: pytest.MonkeyPatch) -> Iterator:
    """The API emulator serving `records` as feed T.A01, its token set in TOKEN_ENV."""
    from sampledata.api_emulator import ApiEmulator

    write_api_dataset(folder, "T.A01", records)
    env.setenv(TOKEN_ENV, "secret")
    with ApiEmulator(folder, tokens={"T.A01": "secret"}) as running:
        yield running


def api_feed(emulator, page_size: int = 3) -> dict:
    """The sources.yml entry of the test API feed T.A01 served by `emulator`."""
    return {"unit_code": "T.A01", "kind": "api", "base_url": emulator.base_url_for("T.A01"),
            "token_env": TOKEN_ENV, "page_size": page_size}


def deliveries(dsn: str, feed: str | None = None) -> list[tuple]:
    """(delivery, status, rows_read, rows_loaded, rows_quarantined) in load order."""
    with psycopg.connect(dsn) as conn:
        return conn.execute(
            "select delivery, status, rows_read, rows_loaded, rows_quarantined"
            " from raw.deliveries where %(f)s::text is null or feed_unit_code = %(f)s"
            " order by load_id", {"f": feed}).fetchall()


def query(dsn: str, sql: str, params=()) -> list[tuple]:
    """Rows of one query."""
    with psycopg.connect(dsn) as conn:
        return conn.execute(sql, params).fetchall()


def empty_raw(dsn: str) -> None:
    """Truncate every table of the raw layer."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        tables = [r[0] for r in conn.execute(
            "select format('%I.%I', schemaname, tablename) from pg_tables"
            " where schemaname = 'raw'")]
        conn.execute(f"truncate {', '.join(tables)} restart identity cascade")


@pytest.fixture
def dsn(warehouse_dsn: str) -> Iterator[str]:
    """The module's warehouse with an empty raw layer for each test."""
    empty_raw(warehouse_dsn)
    yield warehouse_dsn


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A data directory holding the test province's reference files."""
    return write_reference(tmp_path / "data")

"""Hypothesis strategies for mutated deliveries: texts that break readers, CSV rows and
bytes, workbook cells, API records.

Every strategy starts from a plausible delivery (tests/ingest/kit.py) and damages it,
so both the row paths (quarantine) and the delivery paths (rejected, not_loaded) run.
"""
from __future__ import annotations

import json
import re
from datetime import datetime

from hypothesis import strategies as st

from tests.ingest.kit import CASE_HEADER, EVENT_HEADER, api_record, case, cp1258_bytes

#: Characters readers have got wrong somewhere: NUL and other controls, separators and
#: quotes, line ends, a BOM, combining marks (cp1258 style), zero-width, lone surrogates,
#: the OOXML escape, a backslash, non-BMP letters.
NASTY = ["\x00", "\x01", "\x1b", "\x7f", "\x85", ";", '"', "\r", "\n", "\r\n", "\t", ",",
         "\ufeff", "\u0300", "\u0323", "\u0301", "\u200b", "\u2028", "\ud800", "\udfff",
         "\uffff", "_x0000_", "_x001F_", "\\", "ệ", "Đ", "𝔸", "٣", "Tổng cộng"]
#: Plausible field values of every kind, for rows that are only partly damaged.
PLAUSIBLE = ["T.S01", "T.D01", "T.X99", "2.000488", "1.001612", "9.999999", "Trực tuyến",
             "Bưu chính", "Đang xử lý", "Đã trả kết quả", "đang xử lý", "Có", "Không",
             "Rất hài lòng", "Công dân", "Tạm dừng", "Xin lỗi", "03/01/2024 09:12",
             "31/02/2024 08:00", "3/1/2024 9:05:07", "00/00/0000 00:00", "01/01/0001 00:00",
             "31/12/9999 23:59", "2024-01-03T09:12:00+07:00", "", " ", "NULL"]

nasty_text = st.one_of(
    st.sampled_from(PLAUSIBLE),
    st.lists(st.one_of(st.sampled_from(NASTY), st.sampled_from(PLAUSIBLE),
                       st.characters()), max_size=12).map("".join),
    st.text(max_size=40),
)
huge_text = st.builds(lambda char, n: char * n, st.sampled_from(["A", "ệ", ";", '"', "\x00"]),
                      st.integers(1_000, 140_000))
field_text = st.one_of(nasty_text, nasty_text, nasty_text, huge_text)


@st.composite
def csv_delivery(draw) -> dict:
    """A daily file: its name, the bytes delivered, and its `.ok` (bytes or None)."""
    is_cases = draw(st.booleans())
    header = list(CASE_HEADER if is_cases else EVENT_HEADER)
    if draw(st.booleans()):
        header = draw(st.permutations(header))
    if draw(st.integers(0, 9)) == 0:
        header.remove(draw(st.sampled_from(header)))          # a required column missing
    if draw(st.integers(0, 4)) == 0:
        header.append(draw(nasty_text))                       # schema drift, maybe NUL
    rows = []
    for n in range(draw(st.integers(0, 6))):
        row = case(f"F-{n}") if is_cases else {
            "Mã hồ sơ": f"F-{n}", "Loại sự kiện": "Xin lỗi", "Thời điểm": "05/01/2024 08:00"}
        fields = [row.get(h, "") for h in header]
        for _ in range(draw(st.integers(0, 3))):
            fields[draw(st.integers(0, len(fields) - 1))] = draw(field_text)
        if draw(st.integers(0, 5)) == 0:                      # a field too many or too few
            fields = fields[:-1] if draw(st.booleans()) else [*fields, draw(nasty_text)]
        rows.append(fields)
    quoted = draw(st.integers(0, 5)) > 0                       # else separators break rows
    end = draw(st.sampled_from(["\r\n", "\n"]))
    text = end.join(";".join(_quote(f) if quoted else f for f in fields)
                    for fields in [header, *rows]) + end
    # Mostly what the feed declares (T.S01 utf-8-sig, T.D01 cp1258), sometimes not.
    encoding = draw(st.sampled_from(["utf-8-sig"] * 3 + ["cp1258"] * 2 + ["utf-16", "latin-1"]))
    data = (_cp1258(text) if encoding == "cp1258" else
            text.encode(encoding, errors="surrogatepass" if "utf" in encoding else "replace"))
    # Mostly the right record count, else a wrong one, garbage or no marker at all.
    ok = draw(st.one_of(st.just(len(rows)), st.just(len(rows)), st.just(len(rows)),
                        st.integers(-1, 9), st.none(), st.binary(max_size=8)))
    return {"name": f"{'hoso' if is_cases else 'sukien'}_20240103.csv",
            "cases": is_cases, "feed": "T.D01" if encoding == "cp1258" else "T.S01",
            "data": mutate(data, draw(mutations)), "ok": ok if isinstance(ok, bytes | None)
            else f"{ok}\n".encode()}


def _cp1258(text: str) -> bytes:
    """As Windows writes it (kit.cp1258_bytes), a character cp1258 lacks as '?'."""
    try:
        return cp1258_bytes(text)
    except UnicodeEncodeError:
        return b"".join(_cp1258(char) if len(text) > 1 else b"?" for char in text)


def _quote(value: str) -> str:
    return '"' + value.replace('"', '""') + '"' if re.search('[;"\r\n]', value) else value


#: Byte mutations, drawn without looking at the bytes (a workbook's bytes vary between
#: runs, and Hypothesis needs the same draws for the same example): (action, position,
#: bit, inserted bytes, length); positions wrap around the data they are applied to.
#: Three deliveries in four are left whole, so their rows reach the row checks.
mutations = st.just([]) | st.just([]) | st.just([]) | st.lists(st.tuples(
    st.sampled_from(["flip", "insert", "delete", "truncate"]), st.integers(0, 1 << 24),
    st.integers(0, 7), st.sampled_from([b"\x00", b";", b'"', b"\r\n", b"\xff\xfe", b"\xc3",
                                        b"PK\x03\x04"]), st.integers(1, 64),
), min_size=1, max_size=5)


def mutate(data: bytes, operations: list[tuple]) -> bytes:
    """`data` with bytes flipped, inserted or cut, or cut short."""
    data = bytearray(data)
    for action, position, bit, inserted, length in operations:
        if not data:
            break
        at = position % len(data)
        if action == "flip":
            data[at] ^= 1 << bit
        elif action == "insert":
            data[at:at] = inserted
        elif action == "delete":
            del data[at:at + length]
        else:
            del data[at:]
    return bytes(data)


# openpyxl refuses XML-illegal characters; Excel writes them as `_xHHHH_`, and XML cannot
# hold a lone surrogate at all (no vendor file can).
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _cell_text(text: str) -> str:
    text = _SURROGATE.sub("?", text)[:32_767]                # Excel's longest cell text
    return _XML_ILLEGAL.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


cell_value = st.one_of(
    field_text.map(_cell_text),
    st.integers(-10**12, 10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.datetimes(datetime(1900, 3, 1), datetime(9999, 12, 31)),
    st.booleans(),
    st.none(),
)


@st.composite
def workbook_rows(draw) -> dict:
    """The arguments of kit.write_workbook: cases and events with damaged cells."""
    header = [h for h in CASE_HEADER if h != "Số điện thoại" or draw(st.booleans())]
    cases = []
    for n in range(draw(st.integers(0, 5))):
        row = case(f"X-{n}", **{"Mã đơn vị": "T.D01.X01", "Mã TTHC": "1.001612"})
        cells = [row[h] for h in header]
        for _ in range(draw(st.integers(0, 3))):
            cells[draw(st.integers(0, len(cells) - 1))] = draw(cell_value)
        cases.append(cells)
    events = [[f"X-{n}", draw(st.one_of(st.just("Tạm dừng"), cell_value)),
               draw(st.one_of(st.just("08/01/2024 10:00"), cell_value)), None, None,
               draw(cell_value)] for n in range(draw(st.integers(0, 3)))]
    return {"case_rows": cases, "event_rows": events, "header": header,
            "title_rows": draw(st.integers(0, 11)), "summary_sheet": draw(st.booleans())}


json_value = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-10**30, 10**30), st.floats(),
              field_text),
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(nasty_text, inner, max_size=3)),
    max_leaves=8,
)
_API_FIELDS = ["MaDonVi", "MaTTHC", "KenhThucHien", "NgayTiepNhan", "NgayHenTra",
               "NgayKetThucXuLy", "NgayTra", "TrangThaiHoSo", "ChuHoSo", "ThanhToanTrucTuyen",
               "SoHoaKetQua", "DanhGia", "QuaTrinhXuLy"]
_EVENT = {"Loai": "XIN_LOI", "ThoiDiem": "2024-01-21T08:00:00+07:00",
          "NgayHenTraMoi": None, "DonViNhan": None, "LyDo": "Cần xác minh thêm"}


@st.composite
def api_records(draw) -> list[dict]:
    """Records of one window: unique (MaHoSo, NgayCapNhat), valid update times (the
    emulator orders by them), anything else damaged, nested values included."""
    records = []
    for n in range(draw(st.integers(0, 7))):
        updated = draw(st.sampled_from(["2024-01-15T10:00:00+07:00", "2024-01-15T03:00:00Z",
                                        "2024-01-16T10:00:00+07:00", "2024-02-01T00:00:00-05:00"]))
        record = api_record(f"F-{n}" + draw(st.one_of(st.just(""), nasty_text)), updated,
                            QuaTrinhXuLy=[dict(_EVENT)] if draw(st.booleans()) else [])
        for _ in range(draw(st.integers(0, 3))):
            target = draw(st.sampled_from(["record", "applicant", "event"]))
            value = draw(json_value)
            if target == "record":
                record[draw(st.sampled_from(_API_FIELDS + ["Extra\x00"]))] = value
            elif target == "applicant" and isinstance(record["ChuHoSo"], dict):
                record["ChuHoSo"][draw(st.sampled_from(["LoaiDoiTuong", "SoGiayTo", "HoTen",
                                                        "SoDienThoai"]))] = value
            elif (target == "event" and isinstance(record["QuaTrinhXuLy"], list)
                  and record["QuaTrinhXuLy"] and isinstance(record["QuaTrinhXuLy"][0], dict)):
                record["QuaTrinhXuLy"][0][draw(st.sampled_from(sorted(_EVENT)))] = value
        json.dumps(record)  # every record must be one JSON can carry
        records.append(record)
    return records

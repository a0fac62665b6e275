"""`cchc report --period`: Biểu 06 of a month, quarter, half-year or year, from the
monthly mart, behind the year's quality gate, as PDF and XLSX.

Sở Nội vụ's third quarter is replaced by three months that chain (each month's pending
is the next month's carried over), worked out by hand:

    month  online direct carried | early on_time late | pending in_time overdue
    7        7     10      4     |   8     3      1   |   9       8       1
    8        6      9      9     |  10     2      0   |  12      12       0
    9        5      8     12     |   9     4      2   |  10       7       3

Q3: received online 7+6+5 = 18, direct 10+9+8 = 27, carried over = July's 4, so (3) =
18+27+4 = 49; resolved 12+12+15 = 39 (early 27, on time 9, late 3); pending = September's
10 (7 in time, 3 overdue). Check: (3) = (7) + (11): 49 = 39 + 10.
"""

from __future__ import annotations

import os
import subprocess
import sys

import openpyxl
import psycopg
import pymupdf
import pytest
from reports_marts_fixture import bieu06_row, insert, record_passing_run

from reports.bieu06 import COUNT_COLUMNS
from reports.periods import parse_period

SNV_Q3 = {7: (7, 10, 4, 8, 3, 1, 1), 8: (6, 9, 9, 10, 2, 0, 0), 9: (5, 8, 12, 9, 4, 2, 3)}
SNV_Q3_EXPECTED = dict(zip(COUNT_COLUMNS, (49, 18, 27, 4, 39, 27, 9, 3, 10, 7, 3)))
FLOWS = ("received_online", "received_direct_postal", "resolved_total", "resolved_early",
         "resolved_on_time", "resolved_late")
STOCKS_FIRST = ("carried_over",)
STOCKS_LAST = ("pending_total", "pending_in_time", "pending_overdue")


@pytest.fixture(scope="module")
def period_dsn(province_dsn):
    """The hand-made province with SNV's chained Q3 and a passing quality run for 2025."""
    with psycopg.connect(province_dsn) as conn:
        conn.execute(
            "delete from marts.mart_on_time where unit_code = 'SNV' and period_month in (7, 8, 9)"
        )
        insert(conn, "marts.mart_on_time", [
            {"unit_code": "SNV", "period_year": 2025, "period_month": month, **bieu06_row(*v)}
            for month, v in SNV_Q3.items()
        ])
        record_passing_run(conn)
    return province_dsn


def _cchc_report(dsn: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cchc_app.cli", "report", *args],
        env={**os.environ, "WAREHOUSE_DSN": dsn}, capture_output=True, text=True, timeout=300,
        check=False,
    )


@pytest.fixture(scope="module")
def q3(period_dsn, tmp_path_factory):
    out = tmp_path_factory.mktemp("q3")
    result = _cchc_report(period_dsn, "--period", "2025-q3", "--out", str(out))
    assert result.returncode == 0, result.stderr
    xlsx, pdf = (line for line in result.stdout.splitlines() if line.strip())
    return xlsx, pdf


def _month_sums(dsn: str) -> dict[str, dict[str, int]]:
    """Per unit, Q3 from the monthly mart: flows summed, stocks from the first/last month."""
    with psycopg.connect(dsn) as conn:
        rows = conn.execute(
            f"""select unit_code, period_month, {", ".join(COUNT_COLUMNS)}
                from marts.mart_on_time where period_year = 2025 and period_month between 7 and 9
                order by unit_code, period_month"""
        ).fetchall()
    units: dict[str, list[dict]] = {}
    for unit, _month, *values in rows:
        units.setdefault(unit, []).append(dict(zip(COUNT_COLUMNS, values)))
    result = {}
    for unit, months in units.items():
        row = {c: sum(m[c] for m in months) for c in FLOWS}
        row |= {c: months[0][c] for c in STOCKS_FIRST} | {c: months[-1][c] for c in STOCKS_LAST}
        row["received_total"] = (
            row["received_online"] + row["received_direct_postal"] + row["carried_over"]
        )
        result[unit] = row
    return result


def test_periods_parse_to_their_months():
    assert [(p.first_month, p.last_month, p.label) for p in map(parse_period, (
        "2025", "2025-H1", "2025-h2", "2025-Q3", "2025-07"))] == [
        (1, 12, "NĂM 2025"), (1, 6, "6 THÁNG ĐẦU NĂM 2025"), (7, 12, "6 THÁNG CUỐI NĂM 2025"),
        (7, 9, "QUÝ III NĂM 2025"), (7, 7, "THÁNG 7 NĂM 2025")]
    for bad in ("2025-Q5", "2025-13", "Q3-2025", "2025-H3"):
        with pytest.raises(ValueError, match="không hợp lệ"):
            parse_period(bad)


def test_quarter_workbook_totals_are_the_months(q3, period_dsn):
    sheet = openpyxl.load_workbook(q3[0])["Biểu 06"]
    assert sheet["A1"].value == "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH QUÝ III NĂM 2025"
    body = list(sheet.iter_rows(min_row=7, values_only=True))
    end = next(i for i, row in enumerate(body) if row[1] == "Tổng cộng")
    by_name = {row[1]: dict(zip(COUNT_COLUMNS, row[2:])) for row in body[:end]}
    assert by_name["Sở Nội vụ"] == SNV_Q3_EXPECTED  # worked by hand in the docstring
    months = _month_sums(period_dsn)
    assert len(by_name) == len(months) == 2  # the fixture's months: SNV and H01
    assert by_name["UBND huyện Bình Gia"] == months["H01"]
    total = dict(zip(COUNT_COLUMNS, body[end][2:]))
    assert total == {c: sum(m[c] for m in months.values()) for c in COUNT_COLUMNS}


def test_quarter_pdf_shows_the_period_table(q3):
    with pymupdf.open(q3[1]) as doc:
        text = " ".join(" ".join(page.get_text().split()) for page in doc)
    assert "Tình hình, kết quả giải quyết thủ tục hành chính Quý III năm 2025" in text
    assert "Kỳ báo cáo: từ 01/07/2025 đến 30/09/2025" in text
    assert "Sở Nội vụ 49 18 27 4 39 27 9 3 10 7 3" in text
    assert "(13)" in text and "Tổng cộng" in text


def test_period_report_waits_for_its_years_gate(period_dsn, tmp_path):
    result = _cchc_report(period_dsn, "--period", "2024-Q3", "--out", str(tmp_path))
    assert result.returncode == 2
    assert "2024" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_unknown_period_is_refused_naming_the_forms(period_dsn, tmp_path):
    result = _cchc_report(period_dsn, "--period", "2025-Q5", "--out", str(tmp_path))
    assert result.returncode == 2
    assert "2025-Q3" in result.stderr and "không hợp lệ" in result.stderr

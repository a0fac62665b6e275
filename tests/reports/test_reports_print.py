"""The workbook prints as the official form: LibreOffice Calc (headless) prints it to PDF.

LibreOffice applies each sheet's page setup as a spreadsheet application would when a
clerk presses Print: paper, orientation, fit-to-width, print titles, print area, footer.
The PDF is read back page by page; the footer names each page's sheet (field &A), which
is how a page is attributed to its sheet.
"""

from __future__ import annotations

import shutil
import subprocess

import psycopg
import pymupdf
import pytest
from reports_marts_fixture import UNIT_YEARS, insert, monthly_rows

from reports.bieu06 import COLUMN_NUMBERS
from reports.build import build_annual_report

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice is not installed (`make print-tools` installs libreoffice-calc-nogui "
    "as root; `make test` runs it)",
)

SHEETS = (
    "Biểu 06",
    "Biểu 06 theo tháng",
    "Xếp hạng khối sở",
    "Xếp hạng khối huyện",
    "Chi tiết tiêu chí",
    "Thông tin phiên bản",
)
A4_LANDSCAPE = (841.9, 595.3)  # points
A4_PORTRAIT = A4_LANDSCAPE[::-1]


@pytest.fixture(scope="module")
def printed(province_dsn, tmp_path_factory) -> dict[str, list[tuple[pymupdf.Rect, str]]]:
    """{sheet name: [(page rectangle, page text), …]} of the workbook printed to PDF."""
    # Months for every unit, so the monthly form (8 units × 13 rows) runs over several pages.
    with psycopg.connect(province_dsn) as conn:
        have = {r[0] for r in conn.execute("select distinct unit_code from marts.mart_on_time")}
        insert(
            conn,
            "marts.mart_on_time",
            [r for unit in UNIT_YEARS if unit not in have for r in monthly_rows(unit)],
        )
    out = tmp_path_factory.mktemp("print")
    files = build_annual_report(province_dsn, 2025, out)
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{out / 'lo-profile'}",  # no shared profile lock
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out / "pdf"),
            str(files.xlsx),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    sheets: dict[str, list[tuple[pymupdf.Rect, str]]] = {}
    with pymupdf.open(out / "pdf" / files.xlsx.with_suffix(".pdf").name) as doc:
        for page in doc:
            lines = {line.strip() for line in page.get_text().splitlines()}
            sheet = next(name for name in SHEETS if name in lines)  # the footer's centre
            sheets.setdefault(sheet, []).append((page.rect, " ".join(page.get_text().split())))
    return sheets


def _is(rect: pymupdf.Rect, size: tuple[float, float]) -> bool:
    return abs(rect.width - size[0]) < 2 and abs(rect.height - size[1]) < 2


def test_first_page_of_bieu06_shows_all_thirteen_columns(printed):
    _, text = printed["Biểu 06"][0]
    for number in COLUMN_NUMBERS:  # (1) … (13)
        assert number in text, number
    assert "Trực tiếp và dịch vụ bưu chính" in text
    assert "Tổng cộng" in text


def test_every_page_of_the_monthly_form_repeats_title_header_and_numbers(printed):
    # 8 units × (1 year row + 12 months) = 104 body rows: more than one page.
    pages = printed["Biểu 06 theo tháng"]
    assert len(pages) >= 2
    for _, text in pages:
        assert "KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH THEO THÁNG NĂM 2025" in text
        assert "Số hồ sơ nhận giải quyết" in text
        assert all(number in text for number in COLUMN_NUMBERS)


def test_wide_tables_print_landscape_a4_narrow_ones_portrait(printed):
    for sheet in ("Biểu 06", "Biểu 06 theo tháng", "Chi tiết tiêu chí"):
        assert all(_is(rect, A4_LANDSCAPE) for rect, _ in printed[sheet]), sheet
    for sheet in ("Xếp hạng khối sở", "Xếp hạng khối huyện", "Thông tin phiên bản"):
        assert all(_is(rect, A4_PORTRAIT) for rect, _ in printed[sheet]), sheet


def test_footer_names_report_edition_and_page(printed):
    for sheet, pages in printed.items():
        for _, text in pages:
            assert "Báo cáo Chỉ số cải cách hành chính năm 2025 — lần công bố 1" in text, sheet
            assert "Trang " in text, sheet

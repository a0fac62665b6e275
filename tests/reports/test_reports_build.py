"""One build of the 2025 report from the hand-made marts: the PDF, the HTML and the workbook."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import openpyxl
import psycopg
import pymupdf
import pytest
from psycopg.rows import dict_row
from reports_marts_fixture import RUN_ID

from expectations.gate import GateDecision, WaivedFailure
from expectations.outcomes import CheckOutcome
from expectations.store import Waiver
from reports.__main__ import main
from reports.bieu06 import COUNT_COLUMNS
from reports.build import build_annual_report

YEAR = 2025


@pytest.fixture(scope="module")
def built(province_dsn, tmp_path_factory):
    return build_annual_report(province_dsn, YEAR, tmp_path_factory.mktemp("report"))


@pytest.fixture(scope="module")
def pdf_text(built) -> str:
    """The PDF's text with line wraps folded into single spaces."""
    with pymupdf.open(built.pdf) as doc:
        return " ".join(" ".join(page.get_text().split()) for page in doc)


def _marts(dsn: str, sql: str) -> list[dict]:
    with psycopg.connect(dsn, row_factory=dict_row) as conn:
        return conn.execute(sql).fetchall()


def test_pdf_pages_render_with_charts_embedded(built, tmp_path):
    with pymupdf.open(built.pdf) as doc:
        assert doc.page_count > 1
        images = sum(len(page.get_images()) for page in doc)
        assert images >= 3  # the three charts
        for number, page in enumerate(doc):
            pixmap = page.get_pixmap(dpi=40)
            assert pixmap.width > pixmap.height  # A4 landscape
            # a page that is not blank has dark pixels
            assert min(pixmap.samples) < 100
            pixmap.save(tmp_path / f"page-{number}.png")
    assert (tmp_path / "page-0.png").stat().st_size > 0


def test_pdf_text_keeps_vietnamese_diacritics(pdf_text):
    for phrase in (
        "Xuất sắc",
        "Tổng cộng",
        "Sở Tư pháp dẫn đầu với 90,54 điểm",
        "Sở Tư pháp tăng 2 bậc (từ hạng 3 lên hạng 1)",
        "UBND huyện Bình Gia tăng 4 bậc",
        "Sở Nội vụ giảm 1 bậc",
        "UBND huyện Bình Gia (3 hồ sơ), Sở Xây dựng (2 hồ sơ) và UBND huyện Tân Minh (1 hồ sơ)",
        "Trực tiếp và dịch vụ bưu",
        "Phụ lục".upper(),
        "Phần mềm một cửa lỗi đồng bộ tháng 7",
        "▲ 2",
        "▼ 1",
    ):
        assert phrase in pdf_text, phrase


def test_html_shows_null_rate_as_dash_and_tied_ranks(built):
    html = built.html.read_text(encoding="utf-8")
    # UBND thành phố Hồng Bàng resolved nothing: its on-time rate has no denominator.
    section = html[html.index("UBND thành phố Hồng Bàng</h4>") :]
    assert "Tỷ lệ trước hạn và đúng hạn: <b>—</b>" in section
    assert "Sở Nội vụ và Sở Xây dựng" not in html  # tie at rank 2, not at the top
    assert html.count('<td class="c">2</td>\n    <td>Sở Nội vụ</td>') == 1
    assert html.count('<td class="c">2</td>\n    <td>Sở Xây dựng</td>') == 1
    assert 'src="bao-cao-chi-so-cchc-2025-lan-1-bieu-do/ty-le-dung-han.png"' in html


def test_workbook_bieu06_matches_the_marts(built, province_dsn):
    sheet = openpyxl.load_workbook(built.xlsx)["Biểu 06"]
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"A3:A5", "B3:B5", "C3:F3", "G3:J3", "K3:M3", "D4:E4", "C4:C5"} <= merged
    assert sheet["D5"].value == "Trực tuyến"
    assert sheet["E5"].value == "Trực tiếp và dịch vụ bưu chính"
    assert [c.value for c in sheet[6]] == [f"({n})" for n in range(1, 14)]
    expected = {
        r["unit_name"]: r
        for r in _marts(
            province_dsn,
            """
            select u.unit_name, o.* from marts.mart_on_time_yearly o
            join marts.dim_units u using (unit_code) where o.period_year = 2025""",
        )
    }
    body = list(sheet.iter_rows(min_row=7, values_only=True))
    end = next(i for i, row in enumerate(body) if row[1] == "Tổng cộng")
    units, total = body[:end], body[end]  # the signature block follows the table
    assert [row[0] for row in units] == list(range(1, len(expected) + 1))
    for row in units:
        mart_row = expected[row[1]]
        assert list(row[2:]) == [mart_row[c] for c in COUNT_COLUMNS]
        assert all(type(v) is int for v in row[2:])
    assert total[1] == "Tổng cộng"
    assert list(total[2:]) == [sum(r[c] for r in expected.values()) for c in COUNT_COLUMNS]
    assert sheet["C7"].number_format == "#,##0"


def test_workbook_league_tables_keep_scores_numeric_and_ties_equal(built, province_dsn):
    workbook = openpyxl.load_workbook(built.xlsx)
    departments = list(workbook["Xếp hạng khối sở"].iter_rows(min_row=4, values_only=True))
    assert [(r[0], r[1]) for r in departments] == [
        (1, "Sở Tư pháp"),
        (2, "Sở Nội vụ"),
        (2, "Sở Xây dựng"),
    ]
    scores = {
        r["ranking_unit_code"]: r["total_score"]
        for r in _marts(province_dsn, "select * from marts.mart_par_index")
    }
    assert departments[0][2] == float(scores["STP"]) == 90.54
    assert departments[0][3] == 2 and departments[0][5] == "Xuất sắc"
    districts = list(workbook["Xếp hạng khối huyện"].iter_rows(min_row=4, values_only=True))
    assert districts[-1][3] is None  # not ranked the year before: empty, not 0
    criteria = list(workbook["Chi tiết tiêu chí"].iter_rows(min_row=4, values_only=True))
    on_time_stp = next(r for r in criteria if r[0] == "STP" and r[2] == "TTHC_ON_TIME")
    assert on_time_stp[4] == pytest.approx(float(Decimal(408) * 100 / 408))
    assert on_time_stp[5] == "%"
    assert on_time_stp[6] == 1 and not isinstance(on_time_stp[6], str)


def test_edition_is_recorded_with_loads_quality_run_and_figures(built, province_dsn):
    edition = _marts(
        province_dsn, f"select * from publish.editions where edition_id = {built.edition_id}"
    )[0]
    assert edition["report_year"] == YEAR and edition["edition_no"] == 1
    assert edition["load_ids"] == ["2", "3"]  # the superseded 1 is not current
    assert edition["quality_run_id"] == RUN_ID
    assert edition["methodology_version"] == "766-2025.1"
    # What `cchc report --verify` rebuilds from: every delivery behind the marts, the
    # superseded one too (its events still count), with its content hash.
    deliveries = _marts(
        province_dsn, "select load_id, status, content_hash, rows_loaded"
        f" from publish.edition_deliveries where edition_id = {built.edition_id} order by 1")
    assert [(d["load_id"], d["status"]) for d in deliveries] == [
        (1, "superseded"), (2, "loaded"), (3, "loaded")]
    assert deliveries[0]["content_hash"] == f"{1:064x}" and deliveries[0]["rows_loaded"] == 10
    assert edition["cutoff_date"] == dt.date(YEAR, 12, 31)
    assert edition["dbt_version"].startswith("dbt-core ")
    figures = {
        r["figure_key"]: r["value"]
        for r in _marts(
            province_dsn,
            f"select figure_key, value from publish.edition_figures"
            f" where edition_id = {built.edition_id}",
        )
    }
    assert edition["figure_count"] == len(figures)
    assert figures["index|STP||total_score"] == Decimal("90.54")
    assert figures["units|H01|2025|pending_overdue"] == 3
    assert figures["units|H03|2025|on_time_rate"] is None
    assert figures["units|SNV|2025-03|resolved_late"] == 1


def test_workbook_has_each_units_months_under_its_year(built):
    sheet = openpyxl.load_workbook(built.xlsx)["Biểu 06 theo tháng"]
    labels = [row[1] for row in sheet.iter_rows(min_row=7, values_only=True)]
    snv = labels.index("Sở Nội vụ")
    assert labels[snv + 1 : snv + 13] == [f"Tháng {m}" for m in range(1, 13)]
    march = next(sheet.iter_rows(min_row=7 + snv + 3, max_row=7 + snv + 3, values_only=True))
    # monthly_rows: March has 3 online + 10 direct + 2 carried over, one case late
    assert march[1:6] == ("Tháng 3", 15, 3, 10, 2) and march[9] == 1


def test_late_procedures_are_named(pdf_text):
    # mart_overdue_cases: H01 has three late cases of 1.001234 and one of 2.000567, which
    # the fixture's catalogue lacks; 1.001234 is named as in force at 31/12/2025.
    assert (
        "Thủ tục có nhiều hồ sơ quá hạn nhất: Đăng ký đất đai, tài sản gắn liền với đất lần "
        "đầu (mã 1.001234): 3 hồ sơ; thủ tục không có trong danh mục (mã 2.000567): 1 hồ sơ."
    ) in pdf_text
    assert "Đăng ký đất đai lần đầu" not in pdf_text


def test_quality_annex_reads_in_vietnamese_with_the_id_in_small_print(pdf_text):
    annex = pdf_text[pdf_text.index("PHỤ LỤC. CHẤT LƯỢNG DỮ LIỆU") :]
    # The fixture's run: one blocking failure (3 rows), one warning (4 rows), one pass;
    # failures first, blocking before warning.
    blocking = annex.index("Ngày hẹn trả không trước ngày tiếp nhận")
    warning = annex.index("Hồ sơ lặp lại trong cùng một lần giao")
    passed = annex.index("Hồ sơ có đủ các trường bắt buộc")
    assert blocking < warning < passed
    assert "staging.stg_raw__cases.appointment_not_before_receipt Chặn công bố Không đạt 3" in (
        annex
    )
    assert "raw.case_snapshots.duplicate_case_in_delivery Cảnh báo Không đạt 4" in annex
    assert "raw.case_snapshots.required_fields Chặn công bố Đạt 0" in annex
    # failures say what they mean; the warning says why the report may still go out
    assert "nên bị tính quá hạn một cách vô lý" in annex
    assert "Vì sao vẫn công bố được: Mỗi hồ sơ chỉ được tính một lần" in annex
    # the waiver names its check by title too
    assert annex.count("Ngày hẹn trả không trước ngày tiếp nhận") == 2


def test_gate_decision_puts_its_run_and_waivers_in_the_annex(province_dsn, tmp_path):
    checked_at = dt.datetime(2026, 1, 6, tzinfo=dt.UTC)
    outcome = CheckOutcome(
        suite="staging__stg_raw__cases",
        suite_version="1",
        check="staging.stg_raw__cases.appointment_not_before_receipt",
        severity="blocking",
        passed=False,
        observed=3,
        message_vi="",
        message_en="",
    )
    waiver = Waiver(
        waiver_id=7,
        check=outcome.check,
        unit_code=None,
        report_year=YEAR,
        waived_by="Giám đốc Sở Nội vụ",
        reason="Lỗi đã được nhà cung cấp khắc phục",
        valid_until=dt.date(2026, 2, 28),
        created_at=checked_at,
    )
    decision = GateDecision(
        year=YEAR,
        run_id=RUN_ID,
        checked_at=checked_at,
        waived=[WaivedFailure(outcome, (waiver,))],
        warnings=[],
    )
    files = build_annual_report(province_dsn, YEAR, tmp_path, quality=decision)
    html = files.html.read_text(encoding="utf-8")
    annex = html[html.index("PHỤ LỤC") :]
    assert "Lỗi đã được nhà cung cấp khắc phục" in annex and "28/02/2026" in annex
    assert "Mọi đơn vị" in annex
    # the recorded unit waiver was not part of this decision
    assert "Phần mềm một cửa lỗi đồng bộ tháng 7" not in annex
    assert annex.count(">✗</td>") == 1  # H02, July


def test_command_line_builds_a_new_edition(province_dsn, tmp_path, capsys):
    assert main(["--year", str(YEAR), "--out", str(tmp_path), "--dsn", province_dsn]) == 0
    edition_line, *paths = capsys.readouterr().out.split()[1:]
    assert int(edition_line) > 1  # the module's first build is edition 1
    assert sorted(p.rsplit(".", 1)[1] for p in paths) == ["html", "pdf", "xlsx"]
    assert all((tmp_path / p.rsplit("/", 1)[1]).stat().st_size > 0 for p in paths)

"""The opening sentences, from hand-made report rows (no database needed)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from reports.bieu06 import COUNT_COLUMNS
from reports.data import ReportData, Unit
from reports.headlines import headlines, leader_sentence, overdue_sentence


def _data(league_rows: list[dict], unit_years: list[dict]) -> ReportData:
    names = {"A": "Sở Công Thương", "B": "Sở Đào tạo", "C": "Sở Y tế"}
    return ReportData(
        year=2025,
        units={code: Unit(code, name, "DEPARTMENT", None) for code, name in names.items()},
        leagues={"DEPARTMENTS": league_rows, "DISTRICTS": []},
        criteria={},
        unit_years=unit_years,
        unit_months={},
        late_procedures={},
        load_ids=[],
        methodology_versions=[],
        cutoff_date=dt.date(2025, 12, 31),
        deliveries=[],
    )


def _league_row(code: str, total: str, rank: int, previous: int | None) -> dict:
    return {
        "ranking_unit_code": code,
        "total_score": Decimal(total),
        "rank": rank,
        "previous_rank": previous,
        "rank_change": None if previous is None else previous - rank,
        "classification": "Xuất sắc",
    }


def _year_row(code: str, pending_overdue: int) -> dict:
    return {
        "unit_code": code,
        **dict.fromkeys(COUNT_COLUMNS, 0),
        "pending_overdue": pending_overdue,
    }


def test_tied_leaders_lead_together():
    data = _data(
        [
            _league_row("A", "90.03", 1, 2),
            _league_row("B", "90.03", 1, 1),
            _league_row("C", "89.43", 3, 3),
        ],
        [],
    )
    assert leader_sentence(data, "DEPARTMENTS") == (
        "Khối sở, ban, ngành: Sở Công Thương và Sở Đào tạo cùng dẫn đầu với 90,03 điểm, "
        "xếp loại Xuất sắc."
    )


def test_movers_and_a_year_without_overdue_cases():
    data = _data(
        [
            _league_row("A", "91", 1, 3),
            _league_row("B", "90", 2, 1),
            _league_row("C", "89", 3, 2),
        ],
        [_year_row("A", 0), _year_row("B", 0)],
    )
    sentences = headlines(data)
    assert (
        "Sở Công Thương tăng 2 bậc (từ hạng 3 lên hạng 1), tăng nhiều nhất trong khối "
        "sở, ban, ngành." in sentences
    )
    assert any(
        s.startswith(
            "Sở Đào tạo (từ hạng 1 xuống hạng 2) và Sở Y tế (từ hạng 2 "
            "xuống hạng 3) cùng giảm 1 bậc"
        )
        for s in sentences
    )
    assert overdue_sentence(data) == (
        "Tại thời điểm 31/12/2025, không đơn vị nào còn hồ sơ quá hạn đang giải quyết."
    )
    # nothing received or resolved: the online rate has no denominator, so "—", never 0 %
    assert sentences[0] == (
        "Năm 2025, toàn tỉnh tiếp nhận 0 hồ sơ thủ tục hành chính (trực tuyến —), cùng 0 hồ "
        "sơ từ năm trước chuyển sang; chưa giải quyết xong hồ sơ nào."
    )

"""Vietnamese number formats, labels and the font's coverage of what the report prints."""

import datetime as dt
from decimal import Decimal

import pytest
from fontTools.ttLib import TTFont

from reports.render import FONTS
from reports.text import (
    fmt_measure,
    fmt_number,
    fmt_percent,
    fmt_rank_change,
    fmt_score,
    join_names,
    long_date,
)


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (82800, 0, "82.800"),
        (Decimal("1234.5"), 2, "1.234,50"),
        (Decimal("90.545"), 2, "90,55"),  # half away from zero, not to even
        (Decimal("-2.5"), 0, "-3"),
        (0, 0, "0"),
        (None, 2, "—"),
    ],
)
def test_fmt_number_uses_decimal_comma_and_thousand_dots(value, decimals, expected):
    assert fmt_number(value, decimals) == expected


def test_scores_percents_and_null_rates():
    assert fmt_score(Decimal("90.54")) == "90,54"
    assert fmt_percent(Decimal("99.9")) == "99,90%"
    assert fmt_percent(None) == "—"
    assert fmt_measure("TTHC_NO_OVERDUE", Decimal(3)) == "3"
    assert fmt_measure("DVC_ONLINE", Decimal("43.414")) == "43,41%"


def test_rank_change_marks():
    assert [fmt_rank_change(c) for c in (4, -2, 0, None)] == ["▲ 4", "▼ 2", "=", "—"]


def test_sentence_helpers():
    assert join_names(["A"]) == "A"
    assert join_names(["A", "B", "C"]) == "A, B và C"
    assert long_date(dt.date(2026, 1, 5)) == "ngày 05 tháng 01 năm 2026"


def test_embedded_fonts_draw_every_mark_and_vietnamese_letter():
    printed = "▲▼—✓✗―ĐđẢảẤấẦầẨẩẪẫẬậĂăẮắẰằẲẳẴẵẶặƠơỚớỜờỞởỠỡỢợƯưỨứỪừỬửỮữỰựỳỹỵỷ"
    for path in FONTS.values():
        cmap = TTFont(path).getBestCmap()
        assert [ch for ch in printed if ord(ch) not in cmap] == [], path.name

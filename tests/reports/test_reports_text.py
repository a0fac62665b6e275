"""Vietnamese number formats, labels and the font's coverage of what the report prints."""

import datetime as dt
import unicodedata
from decimal import Decimal

import pytest
from fontTools.ttLib import TTFont

from reports.render import FONTS
from reports.text import (
    fmt_date,
    fmt_measure,
    fmt_number,
    fmt_percent,
    fmt_rank_change,
    fmt_score,
    join_names,
    long_date,
    vi_sort_key,
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


def test_dates_print_day_and_month_with_two_digits():
    assert fmt_date(dt.date(2026, 1, 5)) == "05/01/2026"
    assert fmt_date(None) == "—"


# Orders worked out by hand from the Vietnamese alphabet (a ă â b c d đ e ê … o ô ơ … u ư
# v x y), letters before tones, tones in dictionary order: none, huyền, hỏi, ngã, sắc, nặng.
@pytest.mark.parametrize(
    "expected",
    [
        ["Duy Tiên", "Dương Kinh", "Đà Bắc", "Đông Anh"],  # d < đ, whatever follows
        ["Anh Sơn", "Ăn Thượng", "Ân Thi"],  # a < ă < â before the rest of the name
        ["Long Biên", "Lộc Hà", "Lợi Hải"],  # o < ô < ơ
        ["Uông Bí", "Ứng Hòa"],  # u < ư: "ứng" after "uông" though n sorts before o
        ["Hoa", "Hòa", "Hỏa", "Hõa", "Hóa", "Họa"],  # same letters: tones decide
        ["Ba Chẽ", "Bá Thước", "Bác Ái", "Bạch Long Vĩ"],  # letters first: "bac" < "bach"
    ],
)
def test_names_sort_in_vietnamese_dictionary_order(expected):
    assert sorted(reversed(expected), key=vi_sort_key) == expected
    assert sorted(expected[1:] + expected[:1], key=vi_sort_key) == expected


def test_composed_and_decomposed_names_sort_alike():
    composed = "Ứng Hòa"
    assert vi_sort_key(unicodedata.normalize("NFD", composed)) == vi_sort_key(composed)


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

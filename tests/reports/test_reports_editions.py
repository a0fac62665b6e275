"""Editions: the same marts give the same figures; a changed figure is restated."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import psycopg
import pymupdf
import pytest

from reports.build import build_annual_report
from reports.editions import Edition, FigureChange, diff_figures, record_edition

YEAR = 2025


@pytest.fixture(scope="module")
def builds(province_dsn, tmp_path_factory):
    """Three builds: twice on the same marts, then after two figures moved."""
    out = tmp_path_factory.mktemp("editions")
    first = build_annual_report(province_dsn, YEAR, out)
    second = build_annual_report(province_dsn, YEAR, out)
    with psycopg.connect(province_dsn) as conn:
        # A restatement the reader can see ...
        conn.execute(
            "update marts.mart_par_index set total_score = 91.00 where ranking_unit_code = 'STP'"
        )
        # ... and a change below the printed precision, which is not one.
        conn.execute(
            "update marts.mart_on_time_yearly"
            " set on_time_rate = on_time_rate + 0.0000001 where unit_code = 'SNV'"
        )
    third = build_annual_report(province_dsn, YEAR, out)
    return first, second, third


def _edition_rows(dsn: str, sql: str, edition_id: int) -> list[tuple]:
    with psycopg.connect(dsn) as conn:
        return conn.execute(sql, (edition_id,)).fetchall()


def test_same_marts_give_the_same_figures_hash(builds, province_dsn):
    first, second, _ = builds
    hashes = [
        _edition_rows(
            province_dsn,
            "select figures_hash, edition_no from publish.editions where edition_id = %s",
            b.edition_id,
        )[0]
        for b in (first, second)
    ]
    assert hashes[0][0] == hashes[1][0]
    assert [no for _, no in hashes] == [1, 2]
    assert (
        _edition_rows(
            province_dsn,
            "select * from publish.edition_changes where edition_id = %s",
            second.edition_id,
        )
        == []
    )
    assert "không có số liệu nào thay đổi" in second.html.read_text(encoding="utf-8")


def test_a_changed_figure_is_logged_and_printed(builds, province_dsn):
    _, second, third = builds
    changes = _edition_rows(
        province_dsn,
        "select figure_key, previous_value, new_value, change_kind"
        " from publish.edition_changes where edition_id = %s order by figure_key",
        third.edition_id,
    )
    assert changes == [("index|STP||total_score", Decimal("90.54"), Decimal("91.00"), "changed")]
    sql = "select previous_edition_id, figures_hash from publish.editions where edition_id = %s"
    previous, digest = _edition_rows(province_dsn, sql, third.edition_id)[0]
    assert previous == second.edition_id
    assert digest != _edition_rows(province_dsn, sql, second.edition_id)[0][1]
    with pymupdf.open(third.pdf) as doc:
        text = " ".join(" ".join(page.get_text().split()) for page in doc)
    assert "V. ĐIỀU CHỈNH SỐ LIỆU SO VỚI LẦN CÔNG BỐ TRƯỚC" in text
    assert "1 số liệu đã được điều chỉnh" in text
    assert "Sở Tư pháp – Tổng điểm 90,54 91,00 Thay đổi" in text


def test_diff_figures_names_added_removed_and_changed_keys():
    previous = {"a": Decimal("1.00"), "b": None, "c": Decimal(3)}
    current = {"a": Decimal("1.00"), "b": Decimal(2), "d": Decimal(4)}
    assert diff_figures(previous, current) == [
        FigureChange("b", None, Decimal(2), "changed"),
        FigureChange("c", Decimal(3), None, "removed"),
        FigureChange("d", None, Decimal(4), "added"),
    ]


def _record_in_own_connection(dsn: str, year: int, figures: dict) -> Edition:
    with psycopg.connect(dsn) as conn, conn.transaction():
        return record_edition(conn, year, figures, [], None, None)


def test_concurrent_editions_of_a_year_are_numbered_one_after_the_other(province_dsn):
    year = 2099  # a year of its own, apart from the builds above
    figures = {"index|STP||total_score": Decimal("90.54")}
    pool = ThreadPoolExecutor(max_workers=1)
    try:
        with psycopg.connect(province_dsn) as first, first.transaction():
            held = record_edition(first, year, figures, [], None, None)
            waiting = pool.submit(_record_in_own_connection, province_dsn, year, figures)
            time.sleep(0.5)
            assert not waiting.done()  # blocked on the year's lock
            # leaving the transaction commits the first edition and releases the lock
        second = waiting.result(timeout=30)
    finally:
        pool.shutdown(wait=True)
    assert (held.edition_no, second.edition_no) == (1, 2)
    assert second.previous_edition_id == held.edition_id
    assert second.changes == []

"""Every count a unit's page links equals the length of the list it links to.

The page prints the published marts; the list comes from web/drill.py (the inspection
pack's bieu06_cell_cases.sql for a Biểu 06 column). Both are read as an inspector, for every
unit, month (and the year) and linked column of the hand-made warehouse
(tests/web/conftest.py); the pack's file itself, for every period the report publishes.
"""
from __future__ import annotations

import psycopg
import pytest

from cchc import inspection
from cchc.warehouse import server_conninfo
from reports.bieu06 import COUNT_COLUMNS
from reports.data import read_period_data
from reports.periods import parse_period
from tests.web.conftest import YEAR
from web.db import connect_as, rows
from web.drill import COLUMN_MARTS, LINKED_COLUMNS, Period, case_list_query

pytestmark = pytest.mark.slow

YEARLY_MART = {"mart_on_time": "mart_on_time_yearly", "mart_overdue": "mart_overdue_yearly",
               "mart_apology_letters": "mart_apology_letters_yearly"}


def _listed(conn, unit: str, period: Period, column: str) -> list[str]:
    sql, params = case_list_query(unit=unit, period=period, column=column, filter_name=None,
                                  procedure=None, sector=None, holder=None)
    return [r["case_code"] for r in rows(conn, sql, {**params, "limit": None, "offset": 0})]


def test_every_linked_count_equals_its_case_list(web_warehouse, inspector):
    with connect_as(server_conninfo(web_warehouse), inspector.name, inspector.password) as conn:
        compared = nonzero = 0
        for column in LINKED_COLUMNS:
            mart = COLUMN_MARTS[column]
            # mart and column are this module's constants (web/drill.py).
            published = rows(conn, f"select unit_code, period_month, {column} as n"
                                   f" from marts.{mart} where period_year = %(y)s", {"y": YEAR})
            published += rows(conn, f"select unit_code, null as period_month, {column} as n"
                                    f" from marts.{YEARLY_MART[mart]} where period_year = %(y)s",
                              {"y": YEAR})
            for cell in published:
                listed = _listed(conn, cell["unit_code"], Period(YEAR, cell["period_month"]),
                                 column)
                assert len(listed) == cell["n"], (column, cell, listed)
                assert len(set(listed)) == len(listed), (column, cell, listed)
                compared += 1
                nonzero += cell["n"] > 0
    # 14 columns x 3 marts' rows of 7 units' months and years; enough non-empty cells
    # that the agreement is not all zeros.
    assert compared > 14 * 12
    assert nonzero >= 40


def test_holder_counts_equal_their_lists(web_warehouse, inspector):
    from web import pages

    with connect_as(server_conninfo(web_warehouse), inspector.name, inspector.password) as conn:
        table = pages.holder_table(conn, YEAR)
        # Late in 2024: A, D, E, F, G at S1 (D passed on to D1 only after its due date);
        # N of D1 was with S1 on its due date 29 Aug (to S1 27 Aug, to C2 30 Aug): S1 = 6.
        # Open and overdue: H at C2 = 1.
        assert {r["holder_unit_at_due"]: r["cases"] for r in table.rows} == {"S1": 6, "C2": 1}
        for row in table.rows:
            listed, total = pages.case_table(conn, "", None, unit=None, period=Period(YEAR),
                                      column=None, filter_name="qua-han", procedure=None,
                                      sector=None, holder=row["holder_unit_at_due"])
            assert len(listed.rows) == total == row["cases"]


def test_hand_worked_lists(web_warehouse, inspector):
    """Values worked out by hand from hand_cases.sql (tests/dbt/test_hand_count.py)."""
    with connect_as(server_conninfo(web_warehouse), inspector.name, inspector.password) as conn:
        # D (finished 22 Mar, due 20 Mar) and E (21 Mar, due 20 Mar) are S1's March late cases.
        assert _listed(conn, "S1", Period(YEAR, 3), "resolved_late") == ["D", "E"]
        # Only D's apology (19 Mar, before the due date) was compliant.
        assert _listed(conn, "S1", Period(YEAR, 3), "apology_compliant") == ["D"]
        # H: open at the cut-off, due 20 Dec: overdue in December; J (D1) waits for
        # supplements on 31 Dec: pending, in time.
        assert _listed(conn, "C2", Period(YEAR, 12), "pending_overdue") == ["H"]
        assert _listed(conn, "D1", Period(YEAR, 12), "pending_in_time") == ["J"]
        with pytest.raises(KeyError):
            _listed(conn, "S1", Period(YEAR, 3), "raw.case_snapshots")


@pytest.mark.parametrize("period", [f"{YEAR}", f"{YEAR}-H2", f"{YEAR}-Q1", f"{YEAR}-Q3",
                                    f"{YEAR}-Q4", f"{YEAR}-03", f"{YEAR}-12"])
def test_pack_lists_the_cases_of_every_cell_of_a_published_period(web_warehouse, inspector,
                                                                   period):
    """#11: bieu06_cell_cases.sql, run as an inspector login, lists for a year, half-year,
    quarter or month exactly the cases the report's Biểu 06 of that period counts, columns
    (12) and (13) included."""
    as_inspector = psycopg.conninfo.make_conninfo(
        server_conninfo(web_warehouse), user=inspector.name, password=inspector.password)
    parsed = parse_period(period)
    with psycopg.connect(web_warehouse) as conn:
        published = read_period_data(conn, parsed.year, parsed.first_month,
                                     parsed.last_month).unit_rows
    query = inspection.load_query("bieu06_cell_cases")
    nonzero = 0
    for row in published:
        for number, column in enumerate(COUNT_COLUMNS, start=3):
            by = str(number) if number % 2 else column  # by number or by name
            _cols, listed = inspection.run(as_inspector, query, {
                "unit_code": row["unit_code"], "period": period, "bieu06_column": by})
            assert len(listed) == row[column], (period, row["unit_code"], column, listed)
            assert len({r[0] for r in listed}) == len(listed)
            nonzero += row[column] > 0
    assert published and nonzero, "some cell of the period counts cases"

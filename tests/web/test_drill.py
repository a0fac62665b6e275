"""Every count a unit's page links equals the length of the list it links to.

The page prints the published marts; the list comes from web/drill.py's predicate over the
case-level marts. Both are read as an inspector, for every unit, month (and the year) and
linked column of the hand-made warehouse (tests/web/conftest.py).
"""
from __future__ import annotations

import pytest

from cchc.warehouse import server_conninfo
from tests.web.conftest import YEAR
from web.db import connect_as, rows
from web.drill import LINKED_COLUMNS, PREDICATES, Period, case_list_query

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
            mart = PREDICATES[column][0]
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

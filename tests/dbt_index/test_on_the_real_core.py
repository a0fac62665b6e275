"""The online and index models on top of the real core models, from raw rows.

The hand-made raw rows of tests/dbt (hand_cases.sql, worked out in test_hand_count.py)
go through staging, intermediate and the core marts, then the online and index models:
this checks that the two halves of the dbt project fit (names, types, grains) and that
the online marts agree with Biểu 06 on what was received.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import psycopg
import pytest

from cchc import dbt_runner
from tests.dbt_index.kit import CAUTIOUS, SELECTION, query

pytestmark = pytest.mark.slow

HAND_CASES = Path(__file__).parents[1] / "dbt" / "hand_cases.sql"
VARS = {"report_year": 2024}


@pytest.fixture(scope="module")
def core_dsn(warehouse_dsn, tmp_path_factory) -> str:
    with psycopg.connect(warehouse_dsn, autocommit=True) as conn:
        conn.execute(HAND_CASES.read_text(encoding="utf-8"))
    target = tmp_path_factory.mktemp("dbt") / "target"
    # The core is tested in tests/dbt: here it only has to produce its tables.
    # mart_on_time_yearly: the Biểu 06 table the online receipts are compared with.
    selection = [*SELECTION, "path:models/marts/online", "mart_on_time_yearly"]
    upstream = ["--select", *(f"+{selector}" for selector in selection), "--exclude", *selection]
    for args in (["seed"], ["run", *upstream], ["build", "--select", *selection, *CAUTIOUS]):
        dbt_runner.run_dbt(args, warehouse_dsn, VARS, target_path=target, quiet=True)
    return warehouse_dsn


def test_online_receipts_agree_with_the_period_table(core_dsn):
    disagreements = query(
        core_dsn,
        """
        select online.unit_code, online.period_year, on_time.unit_code
        from marts.mart_online_service_rate_yearly as online
        full join marts.mart_on_time_yearly as on_time
            on online.unit_code = on_time.unit_code
            and online.period_year = on_time.period_year
        where online.received_total is distinct from
                on_time.received_online + on_time.received_direct_postal
            or online.received_online is distinct from on_time.received_online""",
    )
    assert disagreements == []


def test_index_ranks_every_department_and_district(core_dsn):
    assert query(
        core_dsn,
        """
        select ranking_unit_code, league, rank from marts.mart_par_index
        where period_year = 2024 order by 1""",
    ) == [("D1", "DISTRICTS", 1), ("S1", "DEPARTMENTS", 1)]


def test_online_rate_of_a_district_with_its_communes(core_dsn):
    # D1 with communes C1 (merged into C2 on 2024-07-01) and C2, accepted cases received
    # in 2024: H, I, J, K, N, Q, R, T (L was rejected at the desk, M never accepted);
    # online only J: 1 / 8 = 12.5 % → 12.5 / 50 × 2.0 = 0.50 points.
    # S1: A, B, C, D, E, F, G, O; online A, D, E: 3 / 8 = 37.5 % → 37.5 / 50 × 2.0 = 1.50.
    assert query(
        core_dsn,
        """
        select ranking_unit_code, measure_value, points from marts.mart_par_index_criteria
        where period_year = 2024 and criterion_code = 'DVC_ONLINE' order by 1""",
    ) == [("D1", Decimal("12.5"), Decimal("0.50")), ("S1", Decimal("37.5"), Decimal("1.50"))]

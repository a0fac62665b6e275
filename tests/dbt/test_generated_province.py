"""Every case in exactly one unit row of each period it touches, on a generated province.

The sample province (sampledata) merges department H99.S02 into H99.S03 on 1 March 2025;
H99.S02's case received three working days before is still open at the merge, resolved
after it, and delivered by H99.S03's feed. The province goes through the real ingest (csv,
xlsx, and the API emulator) and a real `dbt build`; the unit x period marts are then
recounted from `fct_cases` with the definitions of rules.md §6, apart from the dbt code:
received in the period, resolved in it, open the day before it starts, open at its end.
"""
from __future__ import annotations

import pytest

from cchc import warehouse
from cchc.dbt_runner import run_dbt
from cchc.net import free_port
from sampledata.generate import generate
from sampledata.province import MERGE_DATE, MERGED_UNIT
from tests.dbt.conftest import ingest_sample, query

pytestmark = pytest.mark.slow

YEAR = 2025
CUTOFF = "2025-12-31"


@pytest.fixture(scope="module")
def province_dsn(warehouse_dsn, tmp_path_factory) -> str:
    sample = generate(tmp_path_factory.mktemp("sample"), seed=7, scale=0.05,
                      api_port=free_port())
    ingest_sample(warehouse_dsn, sample)
    # The unit x period marts and what they are built from; the index is tested elsewhere.
    # Cautious: a test reaching outside the selection (relationships to dim_units) stays out.
    run_dbt(["build", "--select", "+mart_on_time", "+mart_on_time_yearly", "+fct_cases",
             "--indirect-selection", "cautious"],
            warehouse_dsn, {"report_year": YEAR},
            target_path=tmp_path_factory.mktemp("dbt") / "target", quiet=True)
    with warehouse.connect(warehouse_dsn) as conn:
        conn.execute("analyze")
    return warehouse_dsn


def _recount_mismatches(dsn: str, table: str) -> list[tuple]:
    """Rows where the mart and the recount from fct_cases disagree (either side missing)."""
    return query(dsn, f"""
        with periods as (
            select distinct period_start, period_end from marts.{table}
        ),
        counts as (
            select c.unit_code, p.period_start,
                count(*) filter (where c.received_date between p.period_start and p.period_end)
                    as received,
                count(*) filter (where c.received_date < p.period_start
                    and (c.terminal_date is null or c.terminal_date >= p.period_start))
                    as carried_over,
                count(*) filter (where c.terminal_date between p.period_start and p.period_end)
                    as resolved,
                count(*) filter (where c.received_date <= p.period_end
                    and (c.terminal_date is null or c.terminal_date > p.period_end)) as pending
            from marts.fct_cases as c
            cross join periods as p
            group by 1, 2
            having count(*) filter (where c.received_date <= p.period_end
                and (c.terminal_date is null or c.terminal_date >= p.period_start)) > 0
        )
        select coalesce(m.unit_code, c.unit_code), coalesce(m.period_start, c.period_start),
               m.received_online + m.received_direct_postal, c.received,
               m.carried_over, c.carried_over, m.resolved_total, c.resolved,
               m.pending_total, c.pending
        from marts.{table} as m
        full join counts as c
            on m.unit_code = c.unit_code and m.period_start = c.period_start
        where m.unit_code is null
           or m.received_online + m.received_direct_postal <> coalesce(c.received, 0)
           or m.carried_over <> coalesce(c.carried_over, 0)
           or m.resolved_total <> coalesce(c.resolved, 0)
           or m.pending_total <> coalesce(c.pending, 0)
        order by 1, 2""")


@pytest.mark.parametrize("table", ["mart_on_time", "mart_on_time_yearly"])
def test_every_case_is_in_its_units_row_of_every_period_it_touches(province_dsn, table):
    assert _recount_mismatches(province_dsn, table) == []


@pytest.mark.parametrize("table", ["mart_on_time", "mart_on_time_yearly"])
def test_identities_and_continuity_on_every_row(province_dsn, table):
    assert query(province_dsn, f"""
        select unit_code, period_start from marts.{table}
        where received_total <> resolved_total + pending_total
           or received_total <> received_online + received_direct_postal + carried_over
           or resolved_total <> resolved_early + resolved_on_time + resolved_late
           or pending_total <> pending_in_time + pending_overdue""") == []
    assert query(province_dsn, f"""
        select this.unit_code, this.period_start, this.pending_total, next.carried_over
        from marts.{table} as this
        left join marts.{table} as next
            on next.unit_code = this.unit_code and next.period_start = this.period_end + 1
        where this.period_end < date '{CUTOFF}'
          and this.pending_total <> coalesce(next.carried_over, 0)""") == []


def test_the_merged_unit_keeps_a_row_while_its_cases_are_open(province_dsn):
    # The scenario exists: the merged department carries cases into its first month gone,
    # and has a row there although no longer in force.
    rows = query(province_dsn, """
        select carried_over, resolved_total from marts.mart_on_time
        where unit_code = %s and period_start = %s""", (MERGED_UNIT, MERGE_DATE))
    assert len(rows) == 1 and rows[0][0] > 0


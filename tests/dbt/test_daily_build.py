"""A daily build on a generated province gives the marts a full build gives.

The sample province goes through the real ingest without its last CSV delivery day, and
with the first, wrong version of the files the generator marks as re-sent; the production
build (cchc.dbt_runner.build_warehouse) runs. Then the day arrives with the corrected
files (which supersede the wrong ones), ingest runs again and the production build runs
incrementally. Every mart must equal what a full refresh of the same raw data gives, and
the daily build must have recomputed only some of the cases.
"""
from __future__ import annotations

import re
import shutil

import pytest

from cchc.dbt_runner import build_warehouse
from cchc.net import free_port
from sampledata.generate import generate
from tests.dbt.conftest import ingest_sample, query

pytestmark = pytest.mark.slow

YEAR = 2025
CUTOFF = "2025-12-31"
_DAY = re.compile(r"_(\d{8})\.csv")


def _marts(dsn: str) -> dict[str, list[tuple]]:
    """Every row of every table of the marts schema, in a canonical order."""
    tables = [r[0] for r in query(dsn, "select table_name from information_schema.tables"
                                       " where table_schema = 'marts' and table_type = 'BASE TABLE'"
                                       " order by 1")]
    return {t: sorted(query(dsn, f'select * from marts."{t}"'), key=repr) for t in tables}


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    return generate(tmp_path_factory.mktemp("sample"), seed=11, scale=0.03, api_port=free_port())


def test_daily_build_equals_full_build(warehouse_dsn, sample, tmp_path_factory):
    landing = sample.data_dir / "landing"
    held = tmp_path_factory.mktemp("held")
    days = {m[1] for p in landing.rglob("*.csv*") if (m := _DAY.search(p.name))}
    last_day = max(days)
    # The last day's files wait; the re-sent files arrive first in their wrong version.
    for path in [p for p in landing.rglob("*") if p.is_file() and f"_{last_day}." in p.name]:
        (held / path.relative_to(landing)).parent.mkdir(parents=True, exist_ok=True)
        shutil.move(path, held / path.relative_to(landing))
    resent = [p for p in sample.resent_dir.rglob("*") if p.is_file()]
    assert resent, "the generated province re-sends no file: no supersede to test"
    for wrong in resent:
        right = landing / wrong.relative_to(sample.resent_dir)
        if right.exists():
            (held / right.relative_to(landing)).parent.mkdir(parents=True, exist_ok=True)
            shutil.move(right, held / right.relative_to(landing))
        shutil.copy(wrong, right)

    target = tmp_path_factory.mktemp("dbt") / "target"
    ingest_sample(warehouse_dsn, sample)
    build_warehouse(warehouse_dsn, YEAR, CUTOFF, target_path=target, quiet=True)
    cases_before = query(warehouse_dsn, "select count(*) from marts.fct_cases")[0][0]

    for path in [p for p in held.rglob("*") if p.is_file()]:
        shutil.move(path, landing / path.relative_to(held))
    ingest_sample(warehouse_dsn, sample)
    assert query(warehouse_dsn, "select count(*) from raw.deliveries where status = 'superseded'"
                 )[0][0] > 0
    build_warehouse(warehouse_dsn, YEAR, CUTOFF, target_path=target, quiet=True)
    daily = _marts(warehouse_dsn)
    # Only the day's cases were recomputed: marked by the latest build of the load marks.
    marked, cases = query(warehouse_dsn, """
        select count(*) filter (where marked_build = (select max(marked_build)
                                    from intermediate.int_cases__load_marks)), count(*)
        from intermediate.int_cases__load_marks""")[0]
    assert 0 < marked < cases / 2

    build_warehouse(warehouse_dsn, YEAR, CUTOFF, full_refresh=True, target_path=target, quiet=True)
    full = _marts(warehouse_dsn)
    assert daily.keys() == full.keys()
    for table in full:
        assert daily[table] == full[table], table
    assert len(full["fct_cases"]) >= cases_before > 0

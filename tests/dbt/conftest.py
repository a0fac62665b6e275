"""Shared helpers of the dbt tests: hand-made raw rows and a real `dbt build`."""
from __future__ import annotations

from pathlib import Path

import pytest

from cchc import warehouse
from cchc.dbt_runner import run_dbt

HAND_CASES_SQL = Path(__file__).with_name("hand_cases.sql")

#: The index engineer's models build on these marts; they are tested in tests/dbt_index.
CORE_ONLY = [
    "--exclude", "path:models/marts/online", "path:models/marts/index",
    "path:models/intermediate/index", "path:seeds/methodology",
]


def build_core(dsn: str, target_path: Path, vars: dict, *extra: str) -> None:
    """`dbt build` of the warehouse core (staging, intermediate, core marts) with `vars`."""
    run_dbt(["build", *CORE_ONLY, *extra], dsn, vars, target_path=target_path, quiet=True)


def ingest_sample(dsn: str, sample) -> None:
    """The real ingest of a generated sample province (`sampledata.generate`'s SampleInfo):
    reference data, then every feed, the API ones from the emulator."""
    from urllib.parse import urlsplit

    from ingest.pipeline import ingest_feed, load_reference
    from ingest.registry import load_registry
    from sampledata.api_emulator import ApiEmulator

    with pytest.MonkeyPatch.context() as env:
        for token_env, token in sample.api_feeds.values():
            env.setenv(token_env, token)
        load_reference(dsn, sample.data_dir)
        for feed in load_registry(sample.data_dir).feeds:
            if feed.kind == "api":
                url = urlsplit(feed.base_url)
                with ApiEmulator(sample.api_dataset_dir, url.hostname, url.port,
                                 tokens={feed.unit_code: feed.token()}):
                    ingest_feed(dsn, sample.data_dir, feed.unit_code)
            else:
                ingest_feed(dsn, sample.data_dir, feed.unit_code)


def query(dsn: str, sql: str, params: tuple | None = None) -> list[tuple]:
    """All rows of `sql` on the warehouse at `dsn`."""
    with warehouse.connect(dsn) as conn:
        return conn.execute(sql, params).fetchall()


@pytest.fixture(scope="module")
def hand_warehouse(warehouse_dsn, tmp_path_factory) -> str:
    """A warehouse holding the hand-made cases, built for report year 2024."""
    with warehouse.connect(warehouse_dsn) as conn:
        conn.execute(HAND_CASES_SQL.read_text(encoding="utf-8"))
    build_core(warehouse_dsn, tmp_path_factory.mktemp("dbt") / "target", {"report_year": 2024})
    return warehouse_dsn

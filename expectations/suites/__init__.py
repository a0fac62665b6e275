"""GX suites in code, one module per validated table (`<layer>__<table>.py`).

Every module exposes `SUITE: SuiteSpec`. A suite validates one query asset (the table,
narrowed where only part of it counts) and is a list of `Check`s: a named GX expectation
with what a failure means in Vietnamese and English. A check's name is its key in
`expectations/severity.py`; each check is exactly one expectation, so a run records one
row per check. Bump a suite's `version` whenever its checks change meaning: the version
is stored with every result.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from great_expectations.expectations import Expectation, UnexpectedRowsExpectation


@dataclass(frozen=True)
class Scope:
    """What a run validates: the report year, and the run (for tables written per run)."""

    year: int
    run_id: str


@dataclass(frozen=True)
class Check:
    """One expectation, named, with the meaning of a failure in both languages."""

    name: str
    expectation: Expectation
    failure_vi: str
    failure_en: str


@dataclass(frozen=True)
class SuiteSpec:
    """A suite over one asset; `asset_query` and `checks` are built for a `Scope`."""

    name: str
    version: str
    asset_query: Callable[[Scope], str]
    checks: Callable[[Scope], list[Check]]
    # Key columns GX returns for each offending row of a column expectation, so that a
    # failure names units (and periods or deliveries), not bare values.
    index_columns: tuple[str, ...] = ("unit_code",)


def all_suites() -> list[SuiteSpec]:
    """Every suite the gate runs, ingest boundary first, completeness last."""
    from expectations.suites import (
        marts__fct_cases,
        marts__mart_on_time,
        marts__mart_on_time_yearly,
        marts__mart_online_service_rate,
        marts__mart_online_service_rate_yearly,
        marts__mart_par_index_criteria,
        quality__completeness,
        raw__case_snapshots,
        raw__deliveries,
        staging__stg_raw__cases,
    )

    return [
        raw__deliveries.SUITE,
        raw__case_snapshots.SUITE,
        staging__stg_raw__cases.SUITE,
        marts__fct_cases.SUITE,
        marts__mart_on_time.SUITE,
        marts__mart_on_time_yearly.SUITE,
        marts__mart_online_service_rate.SUITE,
        marts__mart_online_service_rate_yearly.SUITE,
        marts__mart_par_index_criteria.SUITE,
        quality__completeness.SUITE,
    ]


def unexpected_rows(query: str, description: str) -> UnexpectedRowsExpectation:
    """A GX `UnexpectedRowsExpectation`: the check fails when `query` returns rows.

    GX substitutes `{batch}` by the asset's subquery and aliases it itself, except when the
    query contains a JOIN; so a query that needs to name the batch (`{batch} as b`) must
    join, and one that does not join reads `from {batch}` with bare column names. Each row
    should carry `unit_code` so that the gate can name the units.
    """
    aliased = "{batch} as b" in query
    if aliased != bool(re.search(r"\bjoin\b", query, re.IGNORECASE)):
        raise ValueError(f"alias the batch ('{{batch}} as b') exactly when joining: {query}")
    return UnexpectedRowsExpectation(unexpected_rows_query=query, description=description)

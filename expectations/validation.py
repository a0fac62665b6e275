"""Run the suites with Great Expectations and turn its results into `CheckOutcome`s.

One ephemeral GX context per run: data sources, assets, suites and validation
definitions are all added in code, and nothing of GX's own is kept except the data docs
site written to a directory the user can open. Results are persisted by us
(`expectations.store`), not by GX.
"""
from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import great_expectations as gx
from great_expectations.core.run_identifier import RunIdentifier
from great_expectations.data_context.types.base import (
    DataContextConfig,
    InMemoryStoreBackendDefaults,
    ProgressBarsConfig,
)

from cchc.warehouse import sqlalchemy_url
from expectations.outcomes import CheckOutcome, failed_outcome, not_run_outcome, passed_outcome
from expectations.severity import severity_of
from expectations.suites import Check, Scope, SuiteSpec

_SITE = "cchc_quality"
_log = logging.getLogger(__name__)


def _context(docs_dir: Path):
    """An in-memory context whose only data docs site is the user's directory."""
    return gx.get_context(mode="ephemeral", project_config=DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
        data_docs_sites={_SITE: {
            "class_name": "SiteBuilder",
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            "store_backend": {
                "class_name": "TupleFilesystemStoreBackend",
                "base_directory": str(docs_dir),
            },
        }},
        progress_bars=ProgressBarsConfig(globally=False),
        analytics_enabled=False,
    ))


def _first_line(text: str) -> str:
    lines = str(text).strip().splitlines()
    return (lines[0] if lines else "unknown error")[:300]


def _exception_message(exception_info: dict | None) -> str | None:
    """The first error GX caught, if any: its info is flat, or keyed by metric."""
    infos = [exception_info or {}]
    if "raised_exception" not in infos[0]:
        infos = [info for info in infos[0].values() if isinstance(info, dict)]
    for info in infos:
        if info.get("raised_exception"):
            return _first_line(info.get("exception_message") or "")
    return None


def _outcome(spec: SuiteSpec, check: Check, result) -> CheckOutcome:
    severity = severity_of(check.name)
    error = _exception_message(result.exception_info)
    if error:
        return not_run_outcome(spec.name, spec.version, check.name, severity, error)
    if result.success:
        return passed_outcome(spec.name, spec.version, check.name, severity)
    details = result.result or {}
    if "unexpected_count" in details:  # a column expectation: rows are the key columns
        observed, rows = details["unexpected_count"], details.get("unexpected_index_list") or []
    else:  # UnexpectedRowsExpectation
        observed = details.get("observed_value") or 0
        rows = (details.get("details") or {}).get("unexpected_rows") or []
    return failed_outcome(spec.name, spec.version, check.name, severity,
                          check.failure_vi, check.failure_en, int(observed), rows)


def _run_suite(context, datasource, spec: SuiteSpec, scope: Scope, run_identifier):
    checks = spec.checks(scope)
    for check in checks:
        check.expectation.meta = {"check": check.name, "severity": severity_of(check.name)}
    suite = context.suites.add(gx.ExpectationSuite(
        name=spec.name, expectations=[check.expectation for check in checks],
        meta={"version": spec.version}))
    asset = datasource.add_query_asset(spec.name, query=spec.asset_query(scope))
    definition = context.validation_definitions.add(gx.ValidationDefinition(
        name=spec.name, data=asset.add_batch_definition_whole_table("whole_table"), suite=suite))
    try:
        result = definition.run(run_id=run_identifier, result_format={
            "result_format": "COMPLETE",
            "unexpected_index_column_names": list(spec.index_columns),
        })
    except Exception as error:  # a missing table must close the gate, not crash it
        _log.warning("suite %s could not run: %s", spec.name, error)
        return [not_run_outcome(spec.name, spec.version, check.name, severity_of(check.name),
                                _first_line(error)) for check in checks]
    by_check = {r.expectation_config.meta["check"]: r for r in result.results}
    return [_outcome(spec, check, by_check[check.name]) for check in checks]


def validate(
    dsn: str, scope: Scope, suites: list[SuiteSpec], docs_dir: Path
) -> list[CheckOutcome]:
    """Validate every suite for `scope`; write the data docs under `docs_dir`."""
    context = _context(docs_dir)
    datasource = context.data_sources.add_postgres(
        "warehouse", connection_string=sqlalchemy_url(dsn))
    run_identifier = RunIdentifier(run_name=scope.run_id, run_time=dt.datetime.now(dt.UTC))
    outcomes: list[CheckOutcome] = []
    for spec in suites:
        outcomes += _run_suite(context, datasource, spec, scope, run_identifier)
    context.build_data_docs(site_names=[_SITE])
    return outcomes

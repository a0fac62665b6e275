"""The suites and the severity table agree (every check has one reviewed severity, every
severity belongs to a check, suites follow the module-per-table convention), and GX
reaches the warehouse of any DSN."""
from __future__ import annotations

import importlib

import pytest

from cchc.warehouse import sqlalchemy_url
from expectations.severity import READINGS, SEVERITIES
from expectations.suites import Scope, all_suites, unexpected_rows

SCOPE = Scope(year=2024, run_id="00000000-0000-0000-0000-000000000000")


def test_every_check_has_a_severity_and_every_severity_a_check():
    names = [check.name for suite in all_suites() for check in suite.checks(SCOPE)]

    assert len(names) == len(set(names))
    assert set(names) == set(SEVERITIES)
    assert all(rule.reason.strip() for rule in SEVERITIES.values())


def test_every_check_the_gate_runs_has_a_vietnamese_reading_for_the_annex():
    # A check added to a suite (and to SEVERITIES) without a title fails here, by name.
    names = {check.name for suite in all_suites() for check in suite.checks(SCOPE)}
    assert sorted(names - set(READINGS)) == []
    assert sorted(set(SEVERITIES) - set(READINGS)) == []
    assert sorted(set(READINGS) - set(SEVERITIES)) == []
    for name, reading in READINGS.items():
        assert reading.title.strip() and reading.failing.strip(), name
        # one sentence: ends with a full stop and holds no other
        assert reading.failing.endswith(".") and ". " not in reading.failing, name
        warning = SEVERITIES[name].severity == "warning"
        assert bool(reading.if_warning.strip()) == warning, name


@pytest.mark.parametrize("suite", all_suites(), ids=lambda suite: suite.name)
def test_a_suite_lives_in_the_module_named_after_its_table(suite):
    module = importlib.import_module(f"expectations.suites.{suite.name}")

    assert module.SUITE is suite
    assert all(check.failure_vi and check.failure_en for check in suite.checks(SCOPE))


def test_a_query_naming_the_batch_must_join_or_gx_would_alias_it_twice():
    with pytest.raises(ValueError, match="exactly when joining"):
        unexpected_rows("select b.unit_code from {batch} as b where b.x < 0", "x is not negative")


@pytest.mark.parametrize(("dsn", "url"), [
    ("host=127.0.0.1 port=5432 user=postgres dbname=wh",
     "postgresql+psycopg://postgres@127.0.0.1:5432/wh"),
    ("postgresql://u:p%40ss@db.example:5433/wh?sslmode=require",
     "postgresql+psycopg://u:p%40ss@db.example:5433/wh?sslmode=require"),
    ("host=/run/postgresql user=u dbname=wh", "postgresql+psycopg://u@/wh?host=%2Frun%2Fpostgresql"),
])
def test_gx_reaches_the_warehouse_of_any_libpq_dsn(dsn, url):
    assert sqlalchemy_url(dsn) == url

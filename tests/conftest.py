"""Shared fixtures: a real Postgres for every test module.

The server is `WAREHOUSE_DSN`'s when set, else the project's embedded one. Each test
module gets a fresh database, bootstrapped like production and dropped afterwards, so
modules never see each other's rows.
"""
from __future__ import annotations

import os
import re
import secrets
import uuid
from collections.abc import Iterator

import pytest

from cchc import credentials, warehouse
from cchc_app.bootstrap import bootstrap

# dbt needs the applicant key (there is no default); each test session draws its own.
os.environ.setdefault("CCHC_APPLICANT_KEY", secrets.token_urlsafe(24))
# The logins' passwords belong to the server (cchc.credentials): every state folder a test
# or its subprocesses use on the session's server shares one secrets folder.
os.environ.setdefault("CCHC_SECRETS_DIR", str(credentials.secrets_dir()))


def pytest_addoption(parser):
    parser.addoption("--run-faults", action="store_true",
                     help="also run the long fault scenarios (marker `faults`; `make test-faults`)")


def pytest_collection_modifyitems(config, items):
    """Long fault scenarios (whole pipeline runs) stay out of `make test`."""
    if config.getoption("--run-faults"):
        return
    skip = pytest.mark.skip(reason="long fault scenario: run with `make test-faults`")
    for item in items:
        if item.get_closest_marker("faults"):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def server_dsn() -> Iterator[str]:
    """DSN of the maintenance database of the test server."""
    configured = os.environ.get("WAREHOUSE_DSN")
    if configured:
        yield warehouse.with_dbname(configured, "postgres")
        return
    from cchc import embedded_pg

    started_here = embedded_pg.status() is None
    yield embedded_pg.ensure_running().dsn("postgres")
    if started_here:
        embedded_pg.stop()


def _fresh_database(server_dsn: str, label: str):
    name = f"t_{re.sub(r'[^a-z0-9]+', '_', label.lower())[-40:]}_{uuid.uuid4().hex[:8]}"
    dsn = warehouse.create_database(server_dsn, name)
    bootstrap(dsn)
    return name, dsn


@pytest.fixture(scope="module")
def warehouse_dsn(server_dsn, request) -> Iterator[str]:
    """A fresh, bootstrapped warehouse database for this test module."""
    name, dsn = _fresh_database(server_dsn, request.module.__name__)
    yield dsn
    if not os.environ.get("CCHC_KEEP_TEST_DB"):
        warehouse.drop_database(server_dsn, name)


@pytest.fixture
def fresh_warehouse_dsn(server_dsn, request) -> Iterator[str]:
    """A fresh, bootstrapped warehouse database for one test."""
    name, dsn = _fresh_database(server_dsn, request.node.name)
    yield dsn
    if not os.environ.get("CCHC_KEEP_TEST_DB"):
        warehouse.drop_database(server_dsn, name)

"""A small real warehouse for the web app's tests, built once per module.

The hand-made raw rows of tests/dbt (hand_cases.sql, their values worked out in
tests/dbt/test_hand_count.py) go through a real `dbt build` of every model for 2024; an
inspector login is created the way people get one (`cchc user add`).
"""
from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from werkzeug.serving import make_server

from cchc import users, warehouse
from cchc.dbt_runner import run_dbt
from cchc_app.bootstrap import bootstrap
from tests.dbt.conftest import HAND_CASES_SQL

YEAR = 2024


@dataclass(frozen=True)
class Login:
    name: str
    password: str


@pytest.fixture(scope="session")
def web_warehouse(server_dsn, tmp_path_factory) -> Iterator[str]:
    """Built once for all web tests: the models only (their data tests run in tests/dbt)."""
    name = f"t_web_{uuid.uuid4().hex[:8]}"
    dsn = warehouse.create_database(server_dsn, name)
    bootstrap(dsn)
    with warehouse.connect(dsn) as conn:
        conn.execute(HAND_CASES_SQL.read_text(encoding="utf-8"))
    run_dbt(["build", "--exclude", "resource_type:test", "resource_type:unit_test"], dsn,
            {"report_year": YEAR}, target_path=tmp_path_factory.mktemp("dbt") / "target",
            quiet=True)
    yield dsn
    if not os.environ.get("CCHC_KEEP_TEST_DB"):
        warehouse.drop_database(server_dsn, name)


@pytest.fixture(scope="module")
def inspector(web_warehouse) -> Iterator[Login]:
    name = f"thanhtra_{uuid.uuid4().hex[:8]}"
    password = users.add_user(web_warehouse, name, "inspector")
    yield Login(name, password)
    users.remove_user(web_warehouse, name)


@pytest.fixture(scope="module")
def web_url(web_warehouse) -> Iterator[str]:
    """The app served on a free local port, over the test warehouse."""
    from web.app import create_app

    server = make_server("127.0.0.1", 0, create_app(web_warehouse), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()

"""Fixtures of the quality-gate tests: the hand-made province, reset before each test."""
from __future__ import annotations

import pytest

from tests.expectations import province


@pytest.fixture
def province_dsn(warehouse_dsn) -> str:
    """The module's warehouse holding the clean province (whatever the last test broke)."""
    province.reset(warehouse_dsn)
    return warehouse_dsn


@pytest.fixture
def docs_dir(tmp_path):
    """A data docs directory of the test's own."""
    return tmp_path / "data_docs"

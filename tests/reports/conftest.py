"""Fresh databases per test module holding hand-made marts (reports_marts_fixture)."""

from __future__ import annotations

import pytest
from reports_marts_fixture import build_province


@pytest.fixture(scope="module")
def province_dsn(warehouse_dsn):
    """Three departments, three districts, two communes (one merged away), 2025."""
    return build_province(warehouse_dsn)

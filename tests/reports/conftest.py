"""Fresh databases per test module holding hand-made marts (reports_marts_fixture)."""

from __future__ import annotations

import psycopg
import pytest
from reports_marts_fixture import create_marts, load_province


@pytest.fixture(scope="module")
def province_dsn(warehouse_dsn):
    """Three departments, three districts, two communes (one merged away), 2025."""
    with psycopg.connect(warehouse_dsn) as conn:
        create_marts(conn)
        load_province(conn)
    return warehouse_dsn

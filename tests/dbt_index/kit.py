"""Shared by the tests of the online and index models."""

from __future__ import annotations

import psycopg

#: The seeds and models of the online and index folders (and their tests).
SELECTION = [
    "path:seeds/methodology",
    "path:models/marts/online",
    "path:models/intermediate/index",
    "path:models/marts/index",
]


def query(dsn: str, sql: str) -> list[tuple]:
    """All rows of `sql` on the warehouse at `dsn`."""
    with psycopg.connect(dsn) as conn:
        return conn.execute(sql).fetchall()

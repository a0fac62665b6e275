"""Shared by the tests of the online and index models."""

from __future__ import annotations

import psycopg

#: The seeds and models of the index folders and the procedures' online share (and their
#: tests); dim_units, which the marts' relationships tests point to. Built with CAUTIOUS:
#: a test of a model outside the selection (relationships of fct_cases …) stays out.
SELECTION = [
    "path:seeds/methodology",
    "mart_procedures_online_share",
    "path:models/intermediate/index",
    "path:models/marts/index",
    "dim_units",
]
CAUTIOUS = ["--indirect-selection", "cautious"]


def query(dsn: str, sql: str) -> list[tuple]:
    """All rows of `sql` on the warehouse at `dsn`."""
    with psycopg.connect(dsn) as conn:
        return conn.execute(sql).fetchall()

"""The count columns of Biểu 06/VPCP/KSTT (rules.md §6), read from the one file defining them.

dbt/seeds/reference/bieu06_columns.csv is a dbt seed, so the warehouse holds the same list
and a dbt data test keeps the marts to it; the report's tables and the quality gate's
identities take the columns from here. A data module like `expectations.severity`: the
report imports it without the gate's machinery.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass

from cchc.settings import DBT_PROJECT_DIR

SEED = DBT_PROJECT_DIR / "seeds" / "reference" / "bieu06_columns.csv"


@dataclass(frozen=True)
class FormColumn:
    """One count column: its number on the form, its mart column, the numbers it sums."""

    number: int
    column_name: str
    sum_of: tuple[int, ...]


def _read() -> tuple[FormColumn, ...]:
    with SEED.open(encoding="utf-8", newline="") as handle:
        return tuple(
            FormColumn(int(row["number"]), row["column_name"],
                       tuple(int(n) for n in row["sum_of"].split()))
            for row in csv.DictReader(handle)
        )


FORM_COLUMNS = _read()
#: Mart columns behind form columns (3)…(13), in form order.
COUNT_COLUMNS = tuple(column.column_name for column in FORM_COLUMNS)
_BY_NUMBER = {column.number: column.column_name for column in FORM_COLUMNS}


def identities() -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """(label, total column, part columns) of every sum the marts must satisfy."""
    return tuple(
        (f"({column.number}) {column.column_name} = "
         + " + ".join(f"({n})" for n in column.sum_of),
         column.column_name, tuple(_BY_NUMBER[n] for n in column.sum_of))
        for column in FORM_COLUMNS if column.sum_of
    )

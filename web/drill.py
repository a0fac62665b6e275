"""Which cases make up a count on a unit's page.

The page shows the published marts (mart_on_time, mart_overdue, mart_apology_letters);
the list behind each figure is the same rule (rules.md §4-§7) written over the case-level
marts. A Biểu 06 column's list is the inspection pack's `bieu06_cell_cases.sql`, run as a
subquery, so that rule is written once for inspectors and the app; the other linked
columns have a predicate here. tests/web/test_drill.py checks, for every column and month
of a unit, that the list's length equals the published figure. The SQL is fixed text
chosen by column name: nothing from a request ever becomes SQL text.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cchc import inspection
from reports.bieu06 import COUNT_COLUMNS

_IN_PERIOD = "between %(start)s and %(end)s"
_RECEIVED = f"c.received_date {_IN_PERIOD}"
# Late by their dates and resolved in the period: the cases that owe an apology (§7).
_LATE_BY_DATE = f"o.apology_required and o.terminal_date {_IN_PERIOD}"

#: The cases of one Biểu 06 cell (unit, period, column): the inspection pack's query.
BIEU06_CELL = inspection.load_query("bieu06_cell_cases")

#: Linked column outside Biểu 06 -> predicate over fct_cases c / mart_overdue_cases o.
PREDICATES: dict[str, str] = {
    "padded_appointments": f"c.padding_working_days > 0 and {_RECEIVED}",
    "late_cases": _LATE_BY_DATE,
    "apology_issued": f"{_LATE_BY_DATE} and o.apology_issued",
    "apology_compliant": f"{_LATE_BY_DATE} and o.apology_compliant",
}

#: Column a unit's page links to a list (in page order) -> the published mart its figure
#: is read from.
COLUMN_MARTS: dict[str, str] = {
    **dict.fromkeys(COUNT_COLUMNS, "mart_on_time"),
    "padded_appointments": "mart_overdue",
    **dict.fromkeys(("late_cases", "apology_issued", "apology_compliant"),
                    "mart_apology_letters"),
}

LINKED_COLUMNS = tuple(COLUMN_MARTS)

#: Filters inspectors ask for (issue #16 item 5): (the mart the filter's cases are rows
#: of, aliased c = fct_cases or o = mart_overdue_cases, predicate). Period, unit,
#: procedure and sector are then matched on that mart's own columns, so a filter over
#: late cases can be counted from mart_overdue_cases alone (HOLDER_COUNT_SQL).
FILTERS: dict[str, tuple[str, str]] = {
    # Late by their dates, no compliant apology (none issued, late, or incomplete).
    "xin-loi-chua-dat": ("o", "o.apology_required and not coalesce(o.apology_compliant, false)"),
    "hen-tra-dem-ngay": ("c", "c.padding_working_days > 0"),
    "qua-han": ("o", "o.case_code is not null"),
}


@dataclass(frozen=True)
class Period:
    """A month (month set) or a whole year of a unit's page."""

    year: int
    month: int | None = None

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, self.month or 1, 1)

    @property
    def end(self) -> dt.date:
        last_month = self.month or 12
        following = dt.date(self.year + last_month // 12, last_month % 12 + 1, 1)
        return following - dt.timedelta(days=1)

    @property
    def code(self) -> str:
        """As the report and the inspection pack write it: 2024 or 2024-03."""
        return f"{self.year}" if self.month is None else f"{self.year}-{self.month:02d}"

    def params(self) -> dict:
        """Bind parameters of every predicate: the period's first and last day."""
        return {"start": self.start, "end": self.end}


CASE_LIST_SQL = """
select c.case_code, c.unit_code, c.procedure_code, c.sector, c.channel, c.received_date,
       c.due_date, c.terminal_date, c.timeliness, c.working_days_late,
       o.holder_unit_at_due, o.apology_required, o.apology_compliant,
       count(*) over () as listed_total
from marts.fct_cases as c
{cell}left join marts.mart_overdue_cases as o on o.case_code = c.case_code
where {where}
order by c.received_date, c.case_code
limit %(limit)s offset %(offset)s
"""


#: Late and overdue cases by the unit that held them on their due date: the "qua-han"
#: filter's clauses, which name only mart_overdue_cases (o), counted without the join.
HOLDER_COUNT_SQL = """
select o.holder_unit_at_due, count(*) as cases
from marts.mart_overdue_cases as o
where {where}
group by 1
order by 2 desc, 1
"""


def case_list_query(unit: str | None, period: Period | None, column: str | None,
                    filter_name: str | None, procedure: str | None, sector: str | None,
                    holder: str | None, sql: str = CASE_LIST_SQL) -> tuple[str, dict]:
    """SQL (CASE_LIST_SQL or HOLDER_COUNT_SQL) and parameters of the cases behind a column
    and/or a filter.

    Raises KeyError for an unknown column or filter (the page answers 404).
    """
    clauses, params, alias, cell = ["true"], {}, "c", ""
    if column is not None:
        if period is None or column not in COLUMN_MARTS:
            raise KeyError(column)
        if column in PREDICATES:
            clauses.append(PREDICATES[column])
        else:
            cell = (f"inner join ({inspection.statement(BIEU06_CELL)}\n) as cell"
                    " on cell.case_code = c.case_code\n")
            params.update(inspection.bind(BIEU06_CELL, {
                "unit_code": unit, "period": period.code, "bieu06_column": column}))
    if filter_name is not None:
        alias, predicate = FILTERS[filter_name]
        clauses.append(predicate)
    if period is not None:
        params.update(period.params())
        if column is None:
            # A filter over a period: the cases in hand during it (received by its end,
            # not finished before its start).
            clauses.append(f"{alias}.received_date <= %(end)s"
                           f" and coalesce({alias}.terminal_date, %(end)s) >= %(start)s")
    for value, clause, key in ((unit, f"{alias}.unit_code = %(unit)s", "unit"),
                               (procedure, f"{alias}.procedure_code = %(procedure)s", "procedure"),
                               (sector, f"{alias}.sector = %(sector)s", "sector"),
                               (holder, "o.holder_unit_at_due = %(holder)s", "holder")):
        if value:
            clauses.append(clause)
            params[key] = value
    return sql.format(cell=cell, where=" and ".join(clauses)), params

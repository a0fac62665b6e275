"""Which cases make up a count on a unit's page: one SQL predicate per published column.

The page shows the published marts (mart_on_time, mart_overdue, mart_apology_letters);
the list behind each figure is the same rule (rules.md §4-§7) written over the case-level
marts. tests/web/test_drill.py checks, for every column and month of a unit, that the
list's length equals the published figure. Predicates are fixed strings chosen by column
name: nothing from a request ever becomes SQL text.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from reports.bieu06 import COUNT_COLUMNS

_IN_PERIOD = "between %(start)s and %(end)s"
# Open at a month end: marts.fct_case_month_ends (12 = in time, 13 = overdue).
_OPEN_AT = (
    "exists (select 1 from marts.fct_case_month_ends as e where e.case_code = c.case_code"
    " and e.unit_code = c.unit_code and e.period_year = %(at_year)s and e.period_month = %(at_month)s{extra})"
)
_OPEN_BEFORE = _OPEN_AT.replace("%(at_year)s", "%(before_year)s").replace(
    "%(at_month)s", "%(before_month)s")
_RECEIVED = f"c.received_date {_IN_PERIOD}"
_RESOLVED = f"c.terminal_date {_IN_PERIOD}"
# Late by their dates and resolved in the period: the cases that owe an apology (§7).
_LATE_BY_DATE = f"o.apology_required and o.terminal_date {_IN_PERIOD}"

#: Published column -> (mart it is read from, predicate over fct_cases c / mart_overdue_cases o).
PREDICATES: dict[str, tuple[str, str]] = {
    "received_online": ("mart_on_time", f"c.channel = 'ONLINE' and {_RECEIVED}"),
    "received_direct_postal": ("mart_on_time", f"c.channel <> 'ONLINE' and {_RECEIVED}"),
    "carried_over": ("mart_on_time", _OPEN_BEFORE.format(extra="")),
    "resolved_total": ("mart_on_time", _RESOLVED),
    "resolved_early": ("mart_on_time", f"c.timeliness = 'EARLY' and {_RESOLVED}"),
    "resolved_on_time": ("mart_on_time", f"c.timeliness = 'ON_TIME' and {_RESOLVED}"),
    "resolved_late": ("mart_on_time", f"c.timeliness = 'LATE' and {_RESOLVED}"),
    "pending_total": ("mart_on_time", _OPEN_AT.format(extra="")),
    "pending_in_time": ("mart_on_time", _OPEN_AT.format(extra=" and not e.is_overdue")),
    "pending_overdue": ("mart_on_time", _OPEN_AT.format(extra=" and e.is_overdue")),
    "padded_appointments": ("mart_overdue", f"c.padding_working_days > 0 and {_RECEIVED}"),
    "late_cases": ("mart_apology_letters", _LATE_BY_DATE),
    "apology_issued": ("mart_apology_letters", f"{_LATE_BY_DATE} and o.apology_issued"),
    "apology_compliant": ("mart_apology_letters", f"{_LATE_BY_DATE} and o.apology_compliant"),
}
PREDICATES["received_total"] = ("mart_on_time", "({})".format(" or ".join(
    PREDICATES[c][1] for c in ("received_online", "received_direct_postal", "carried_over"))))

#: Columns a unit's page links to a list, in page order.
LINKED_COLUMNS = COUNT_COLUMNS + ("padded_appointments", "late_cases", "apology_issued",
                                  "apology_compliant")

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

    def params(self) -> dict:
        """Bind parameters of every predicate: the period, its last month end, the one before."""
        before = self.start - dt.timedelta(days=1)
        return {"start": self.start, "end": self.end, "at_year": self.year,
                "at_month": self.month or 12, "before_year": before.year,
                "before_month": before.month}


CASE_LIST_SQL = """
select c.case_code, c.unit_code, c.procedure_code, c.sector, c.channel, c.received_date,
       c.due_date, c.terminal_date, c.timeliness, c.working_days_late,
       o.holder_unit_at_due, o.apology_required, o.apology_compliant,
       count(*) over () as listed_total
from marts.fct_cases as c
left join marts.mart_overdue_cases as o on o.case_code = c.case_code
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
    clauses, params, alias = ["true"], {}, "c"
    if column is not None:
        clauses.append(PREDICATES[column][1])
        if period is None:
            raise KeyError(column)
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
    return sql.format(where=" and ".join(clauses)), params

"""Everything the annual report prints, read from the published `marts` schema only.

One query per mart, returned as plain rows (dicts of column → value, numerics as
Decimal) grouped the way the templates and the workbook walk them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

import psycopg
from psycopg.rows import dict_row

from reports.bieu06 import COUNT_COLUMNS
from reports.text import LEAGUE_ORDER, vi_sort_key

# How many procedures to list per unit under "the procedures with most late cases".
TOP_LATE_PROCEDURES = 3


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    kind: str | None
    parent_code: str | None


@dataclass(frozen=True)
class LateProcedure:
    code: str
    name: str | None  # as of the report's cut-off; None for a code not in the catalogue
    late_cases: int


@dataclass(frozen=True)
class RecordedDelivery:
    """A delivery behind the figures, as it stood when the report read the marts."""

    load_id: int
    status: str  # loaded, or superseded (its events still count)
    content_hash: str | None
    rows_loaded: int


@dataclass
class ReportData:
    """The marts' rows for one report year."""

    year: int
    units: dict[str, Unit]
    # league code → mart_par_index rows, best rank first
    leagues: dict[str, list[dict]]
    # ranking unit code → mart_par_index_criteria rows
    criteria: dict[str, list[dict]]
    # accepting units in report order, one row each: Biểu 06 of the year plus the
    # apology, overdue and online figures of the year
    unit_years: list[dict]
    # unit code → twelve Biểu 06 rows by month (months without a row are left out)
    unit_months: dict[str, list[dict]]
    # unit code → [LateProcedure], most late first
    late_procedures: dict[str, list[LateProcedure]]
    load_ids: list[str]
    methodology_versions: list[str]
    cutoff_date: dt.date
    # every delivery the marts are built from: the current ones (load_ids) and the
    # superseded ones, whose events still count
    deliveries: list[RecordedDelivery]

    def unit_name(self, code: str | None) -> str:
        if code is None:
            return ""
        unit = self.units.get(code)
        return unit.name if unit else code


def _rows(conn: psycopg.Connection, sql: str, params: dict) -> list[dict]:
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(sql, params)
        return cur.fetchall()


def read_units(conn: psycopg.Connection, year_end: dt.date) -> dict[str, Unit]:
    # The latest version of each unit valid by year end names it, so a unit merged away
    # during the year keeps the name it had.
    rows = _rows(
        conn,
        """
        select distinct on (unit_code) unit_code, unit_name, unit_kind, parent_code
        from marts.dim_units
        where valid_from is null or valid_from <= %(year_end)s
        order by unit_code, valid_from desc nulls last
        """,
        {"year_end": year_end},
    )
    return {
        r["unit_code"]: Unit(r["unit_code"], r["unit_name"], r["unit_kind"], r["parent_code"])
        for r in rows
    }


def read_leagues(conn, params: dict, units: dict[str, Unit]) -> dict[str, list[dict]]:
    """The league tables of `params["year"]` by league, in rank order (report and web app)."""
    rows = _rows(
        conn,
        """
        select ranking_unit_code, league, computed_points, appraisal_points, survey_points,
               satisfaction_points, total_score, rank, previous_rank, rank_change,
               classification, methodology_version
        from marts.mart_par_index
        where period_year = %(year)s
        """,
        params,
    )
    leagues: dict[str, list[dict]] = {league: [] for league in LEAGUE_ORDER}
    for row in rows:
        leagues.setdefault(row["league"], []).append(row)
    for league_rows in leagues.values():
        league_rows.sort(
            key=lambda r: (r["rank"], vi_sort_key(_name(units, r["ranking_unit_code"])))
        )
    return leagues


def _name(units: dict[str, Unit], code: str) -> str:
    return units[code].name if code in units else code


def _read_criteria(conn, params) -> dict[str, list[dict]]:
    rows = _rows(
        conn,
        """
        select ranking_unit_code, criterion_code, measure_value, points, max_points, source,
               methodology_version
        from marts.mart_par_index_criteria
        where period_year = %(year)s
        order by ranking_unit_code, source, criterion_code
        """,
        params,
    )
    grouped: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        grouped[row["ranking_unit_code"]].append(row)
    return dict(grouped)


_BIEU06_SELECT = ", ".join(f"o.{c}" for c in COUNT_COLUMNS)


def _read_unit_years(conn, params) -> list[dict]:
    return _rows(
        conn,
        f"""
        select o.unit_code, {_BIEU06_SELECT}, o.on_time_rate, o.on_time_rate_766,
               o.rejected_at_desk,
               a.late_cases, a.apology_issued, a.apology_timely, a.apology_compliant,
               a.multiple_reappointments, a.unnecessary_apologies, a.apology_rate,
               a.apology_compliance_rate,
               d.working_days_late_total, d.working_days_late_max,
               d.late_by_supplement_rule, d.padded_appointments,
               s.online_rate, s.full_process_online_rate, s.online_payment_rate,
               s.digitised_result_rate, s.rating_satisfaction_rate
        from marts.mart_on_time_yearly o
        left join marts.mart_apology_letters_yearly a using (unit_code, period_year)
        left join marts.mart_overdue_yearly d using (unit_code, period_year)
        left join marts.mart_online_service_rate_yearly s using (unit_code, period_year)
        where o.period_year = %(year)s
        """,
        params,
    )


def _read_unit_months(conn, params) -> dict[str, list[dict]]:
    rows = _rows(
        conn,
        f"""
        select o.unit_code, o.period_month, {_BIEU06_SELECT}, o.on_time_rate
        from marts.mart_on_time o
        where o.period_year = %(year)s
        order by o.unit_code, o.period_month
        """,
        params,
    )
    grouped: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        grouped[row["unit_code"]].append(row)
    return dict(grouped)


def _read_late_procedures(conn, params) -> dict[str, list[LateProcedure]]:
    # A case belongs to the year it finished in, or, still open, to the cut-off's year.
    # The name is the version's in force at the cut-off, else the latest version's.
    rows = _rows(
        conn,
        """
        with late as (
            select unit_code, procedure_code, count(*) as late_cases
            from marts.mart_overdue_cases
            where extract(year from coalesce(terminal_date, as_of_date)) = %(year)s
            group by unit_code, procedure_code
        )
        select late.*, (
            select p.procedure_name from marts.dim_procedures p
            where p.procedure_code = late.procedure_code
            order by p.valid_from <= %(cutoff)s and coalesce(p.valid_to, %(cutoff)s) >= %(cutoff)s
                     desc,
                     p.valid_from desc
            limit 1
        ) as procedure_name
        from late
        order by unit_code, late_cases desc, procedure_code
        """,
        params,
    )
    grouped: dict[str, list[LateProcedure]] = defaultdict(list)
    for row in rows:
        if len(grouped[row["unit_code"]]) < TOP_LATE_PROCEDURES:
            grouped[row["unit_code"]].append(
                LateProcedure(row["procedure_code"], row["procedure_name"], row["late_cases"])
            )
    return dict(grouped)


def nested_unit_codes(unit_years: list[dict], units: dict[str, Unit]) -> set[str]:
    """Units printed under their parent: communes whose district is in the report too."""
    present = {row["unit_code"] for row in unit_years}
    return {code for code in present if code in units and units[code].parent_code in present}


def _report_order(
    unit_years: list[dict], units: dict[str, Unit], leagues: dict[str, list[dict]]
) -> list[dict]:
    """Departments, then districts each followed by its communes, then any other unit;
    by name within each group."""
    nested = nested_unit_codes(unit_years, units)
    league_of = {
        row["ranking_unit_code"]: position
        for position, league in enumerate(LEAGUE_ORDER)
        for row in leagues.get(league, [])
    }

    def key(row: dict) -> tuple:
        code = row["unit_code"]
        group = units[code].parent_code if code in nested else code
        return (
            league_of.get(group, len(LEAGUE_ORDER)),
            vi_sort_key(_name(units, group)),
            group,
            code in nested,
            vi_sort_key(_name(units, code)),
        )

    return sorted(unit_years, key=key)


def _cutoff_date(conn, year: int) -> dt.date:
    """31 December, or the data's cut-off when the year is not over yet."""
    year_end = dt.date(year, 12, 31)
    rows = _rows(conn, "select max(as_of_date) as as_of from marts.mart_overdue_cases", {})
    as_of = rows[0]["as_of"]
    return min(year_end, as_of) if as_of and as_of.year == year else year_end


def read_report_data(conn: psycopg.Connection, year: int) -> ReportData:
    """Read every mart row the report of `year` shows."""
    cutoff = _cutoff_date(conn, year)
    params = {"year": year, "cutoff": cutoff}
    units = read_units(conn, dt.date(year, 12, 31))
    leagues = read_leagues(conn, params, units)
    deliveries = [
        RecordedDelivery(**r)
        for r in _rows(
            conn,
            """select load_id, status, content_hash, rows_loaded from marts.load_audit
               where status in ('loaded', 'superseded') order by load_id""",
            {},
        )
    ]
    load_ids = [str(d.load_id) for d in deliveries if d.status == "loaded"]
    versions = sorted(
        {r["methodology_version"] for rows in leagues.values() for r in rows} - {None}
    )
    return ReportData(
        year=year,
        units=units,
        leagues=leagues,
        criteria=_read_criteria(conn, params),
        unit_years=_report_order(_read_unit_years(conn, params), units, leagues),
        unit_months=_read_unit_months(conn, params),
        late_procedures=_read_late_procedures(conn, params),
        load_ids=load_ids,
        methodology_versions=versions,
        cutoff_date=cutoff,
        deliveries=deliveries,
    )


# Biểu 06 of a span of months from the monthly mart (rules.md §6): the flows — received
# in the period, resolved in it — are the months' sums; the stocks are the first month's
# carried over and the last month's pending. Received (3) is (4) + (5) + (6) again.
_PERIOD_SQL = """
with months as (
    select * from marts.mart_on_time
    where period_year = %(year)s and period_month between %(first_month)s and %(last_month)s
),
summed as (
    select
        unit_code,
        sum(received_online)::int as received_online,
        sum(received_direct_postal)::int as received_direct_postal,
        (array_agg(carried_over order by period_month))[1] as carried_over,
        sum(resolved_total)::int as resolved_total,
        sum(resolved_early)::int as resolved_early,
        sum(resolved_on_time)::int as resolved_on_time,
        sum(resolved_late)::int as resolved_late,
        (array_agg(pending_total order by period_month desc))[1] as pending_total,
        (array_agg(pending_in_time order by period_month desc))[1] as pending_in_time,
        (array_agg(pending_overdue order by period_month desc))[1] as pending_overdue
    from months
    group by unit_code
)
select
    *,
    received_online + received_direct_postal + carried_over as received_total
from summed
"""


@dataclass(frozen=True)
class PeriodData:
    """Biểu 06 rows of one span of months of a year, one per unit, in report order."""

    units: dict[str, Unit]
    unit_rows: list[dict]
    cutoff_date: dt.date

    def unit_name(self, code: str) -> str:
        return _name(self.units, code)


def read_period_data(
    conn: psycopg.Connection, year: int, first_month: int, last_month: int
) -> PeriodData:
    """Biểu 06 of months `first_month`…`last_month` of `year` from `marts.mart_on_time`."""
    params = {"year": year, "first_month": first_month, "last_month": last_month}
    units = read_units(conn, dt.date(year, 12, 31))
    leagues = read_leagues(conn, params, units)
    rows = _report_order(_rows(conn, _PERIOD_SQL, params), units, leagues)
    return PeriodData(units, rows, _cutoff_date(conn, year))

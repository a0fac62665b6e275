"""What each page reads from the marts, as Tables (web/tables.py)."""
from __future__ import annotations

import datetime as dt

import psycopg

from reports.bieu06 import COUNT_COLUMNS
from reports.data import read_leagues, read_units
from reports.text import LEAGUE_LABELS, LEAGUE_ORDER
from web.db import rows
from web.drill import HOLDER_COUNT_SQL, LINKED_COLUMNS, Period, case_list_query
from web.tables import Column, Table

BIEU06_LABELS = {
    "received_total": "Tổng tiếp nhận (3)", "received_online": "Trực tuyến (4)",
    "received_direct_postal": "Trực tiếp, bưu chính (5)", "carried_over": "Kỳ trước chuyển sang (6)",
    "resolved_total": "Đã giải quyết (7)", "resolved_early": "Trước hạn (8)",
    "resolved_on_time": "Đúng hạn (9)", "resolved_late": "Quá hạn (10)",
    "pending_total": "Đang giải quyết (11)", "pending_in_time": "Trong hạn (12)",
    "pending_overdue": "Quá hạn (13)",
}
COLUMN_LABELS = {
    **BIEU06_LABELS,
    "padded_appointments": "Hẹn trả kéo dài", "late_cases": "Hồ sơ trễ hạn phải xin lỗi",
    "apology_issued": "Đã xin lỗi", "apology_compliant": "Xin lỗi đúng quy định",
}
FILTER_LABELS = {
    "xin-loi-chua-dat": "Trễ hạn, không có thư xin lỗi đúng quy định",
    "hen-tra-dem-ngay": "Hẹn trả kéo dài hơn thời hạn luật định",
    "qua-han": "Trễ hạn hoặc quá hạn",
}
MONTH = Column("period_month", "Tháng", "count")


def years(conn: psycopg.Connection) -> list[int]:
    found = rows(conn, "select distinct period_year from marts.mart_on_time_yearly"
                       " union select distinct period_year from marts.mart_par_index order by 1 desc")
    return [r["period_year"] for r in found]


def unit_names(conn: psycopg.Connection, year: int) -> dict[str, str]:
    return {code: unit.name for code, unit in read_units(conn, dt.date(year, 12, 31)).items()}


def league_tables(conn: psycopg.Connection, year: int) -> list[Table]:
    units = read_units(conn, dt.date(year, 12, 31))
    leagues = read_leagues(conn, {"year": year}, units)
    columns = [Column("rank", "Xếp hạng", "count"), Column("unit_name", "Đơn vị"),
               Column("total_score", "Tổng điểm", "score"),
               Column("classification", "Xếp loại"),
               Column("previous_rank", "Hạng năm trước", "count"),
               Column("rank_change", "Thay đổi thứ hạng", "rank_change")]
    tables = []
    for league in LEAGUE_ORDER:
        league_rows = [{**r, "unit_name": units[r["ranking_unit_code"]].name
                        if r["ranking_unit_code"] in units else r["ranking_unit_code"]}
                       for r in leagues.get(league, [])]
        table = Table(f"xep-hang-{league.lower()}", LEAGUE_LABELS[league], columns, league_rows)
        for i, r in enumerate(league_rows):
            table.links[(i, "unit_name")] = f"/don-vi/{r['ranking_unit_code']}?nam={year}"
        tables.append(table)
    return tables


def _monthly(conn, mart: str, unit: str, year: int, columns: list[str]) -> list[dict]:
    # `mart` and `columns` come from this module's constants, never from a request.
    select = ", ".join(columns)
    return rows(conn, f"select period_month, {select} from marts.{mart}"
                      " where unit_code = %(unit)s and period_year = %(year)s order by period_month",
                {"unit": unit, "year": year})


def _link_counts(table: Table, unit: str, year: int) -> None:
    for i, row in enumerate(table.rows):
        for column in table.columns:
            if column.key in LINKED_COLUMNS and row.get(column.key) is not None:
                month = f"&thang={row['period_month']}" if row.get("period_month") else ""
                table.links[(i, column.key)] = (f"/ho-so?don_vi={unit}&nam={year}{month}"
                                                f"&cot={column.key}")


def unit_tables(conn: psycopg.Connection, unit: str, year: int) -> dict[str, Table]:
    bieu06 = _monthly(conn, "mart_on_time", unit, year, [*COUNT_COLUMNS, "on_time_rate"])
    online = {r["period_month"]: r for r in _monthly(
        conn, "mart_online_service_rate", unit, year, ["online_rate"])}
    for row in bieu06:
        row["online_rate"] = online.get(row["period_month"], {}).get("online_rate")
    yearly = rows(conn, f"select {', '.join(COUNT_COLUMNS)}, on_time_rate from"
                        " marts.mart_on_time_yearly where unit_code = %(unit)s"
                        " and period_year = %(year)s", {"unit": unit, "year": year})
    if yearly:
        online_year = rows(conn, "select online_rate from marts.mart_online_service_rate_yearly"
                                 " where unit_code = %(unit)s and period_year = %(year)s",
                           {"unit": unit, "year": year})
        bieu06.append({**yearly[0], "period_month": None, "label": "Cả năm",
                       "online_rate": online_year[0]["online_rate"] if online_year else None})
    for row in bieu06:
        row.setdefault("label", f"Tháng {row['period_month']}")
    b06 = Table("bieu-06", "Biểu 06: tình hình giải quyết hồ sơ theo tháng",
                [Column("label", "Kỳ"), *(Column(c, BIEU06_LABELS[c], "count")
                                            for c in COUNT_COLUMNS),
                 Column("on_time_rate", "Tỷ lệ đúng hạn", "percent"),
                 Column("online_rate", "Tỷ lệ trực tuyến", "percent")], bieu06)
    _link_counts(b06, unit, year)

    overdue = {r["period_month"]: r for r in _monthly(
        conn, "mart_overdue", unit, year, ["padded_appointments"])}
    apology = _monthly(conn, "mart_apology_letters", unit, year,
                       ["late_cases", "apology_issued", "apology_compliant",
                        "apology_compliance_rate"])
    for row in apology:
        row["padded_appointments"] = overdue.get(row["period_month"], {}).get(
            "padded_appointments")
        row["label"] = f"Tháng {row['period_month']}"
    apologies = Table("xin-loi", "Trễ hạn, xin lỗi và hẹn trả kéo dài",
                      [Column("label", "Kỳ"),
                       *(Column(c, COLUMN_LABELS[c], "count") for c in
                         ("late_cases", "apology_issued", "apology_compliant",
                          "padded_appointments")),
                       Column("apology_compliance_rate", "Tỷ lệ xin lỗi đúng quy định",
                              "percent")], apology)
    _link_counts(apologies, unit, year)

    audit = rows(conn, "select delivery, source_kind, received_at::date as received_on,"
                       " rows_read, rows_loaded, rows_quarantined, status from marts.load_audit"
                       " where unit_code = %(unit)s order by received_at, load_id",
                 {"unit": unit})
    deliveries = Table("giao-nop", "Tính đầy đủ của dữ liệu giao nộp",
                       [Column("delivery", "Tệp / cửa sổ API"), Column("source_kind", "Nguồn"),
                        Column("received_on", "Ngày nhận", "date"),
                        Column("rows_read", "Dòng đọc", "count"),
                        Column("rows_loaded", "Dòng nạp", "count"),
                        Column("rows_quarantined", "Dòng cách ly", "count"),
                        Column("status", "Trạng thái")], audit)
    return {t.key: t for t in (b06, apologies, deliveries)}


CASE_COLUMNS = [
    Column("case_code", "Mã hồ sơ"), Column("unit_code", "Đơn vị"),
    Column("procedure_code", "Thủ tục"), Column("sector", "Lĩnh vực"),
    Column("channel", "Kênh", "channel"), Column("received_date", "Ngày tiếp nhận", "date"),
    Column("due_date", "Hạn trả", "date"), Column("terminal_date", "Ngày kết thúc", "date"),
    Column("timeliness", "Kết quả", "timeliness"), Column("working_days_late", "Số ngày trễ", "count"),
    Column("holder_unit_at_due", "Đơn vị giữ hồ sơ khi đến hạn"),
    Column("apology_compliant", "Xin lỗi đúng quy định", "flag"),
]


def case_table(conn: psycopg.Connection, title: str, limit: int | None, key: str = "ho-so",
               offset: int = 0, **criteria) -> tuple[Table, int]:
    """One page of the cases behind a count or filter (all of them when `limit` is None),
    and how many there are in all (the count the page shows)."""
    sql, params = case_list_query(**criteria)
    params.update(limit=limit, offset=offset)
    found = rows(conn, sql, params)
    # Past the last page there is no row to carry the total: such a page is empty.
    total = found[0]["listed_total"] if found else 0
    table = Table(key, title, CASE_COLUMNS, found)
    for i, r in enumerate(table.rows):
        table.links[(i, "case_code")] = f"/ho-so/{r['case_code']}"
    return table, total


def holder_table(conn: psycopg.Connection, year: int) -> Table:
    """Late and overdue cases of the year by the unit that held them on their due date."""
    criteria = {"unit": None, "period": Period(year), "column": None, "filter_name": "qua-han",
                "procedure": None, "sector": None, "holder": None}
    found = rows(conn, *case_list_query(**criteria, sql=HOLDER_COUNT_SQL))
    table = Table("don-vi-giu", f"Hồ sơ trễ hạn theo đơn vị giữ hồ sơ khi đến hạn, {year}",
                  [Column("holder_unit_at_due", "Đơn vị giữ hồ sơ"),
                   Column("cases", "Số hồ sơ", "count")], found)
    for i, r in enumerate(found):
        if r["holder_unit_at_due"] is None:
            continue
        table.links[(i, "cases")] = (f"/ho-so?loc=qua-han&nam={year}"
                                     f"&don_vi_giu={r['holder_unit_at_due']}")
    return table


def case_detail(conn: psycopg.Connection, case_code: str) -> tuple[dict | None, list[dict]]:
    found = rows(conn, "select c.*, o.holder_unit_at_due, o.apology_required,"
                       " o.apology_compliant, o.working_days_overdue from marts.fct_cases as c"
                       " left join marts.mart_overdue_cases as o on o.case_code = c.case_code"
                       " where c.case_code = %(code)s", {"code": case_code})
    if not found:
        return None, []
    case = found[0]
    events = rows(conn, "select event_at, event_date, event_type, new_appointment_date,"
                        " receiving_unit_code from marts.fct_case_events"
                        " where case_code = %(code)s order by event_at", {"code": case_code})
    return case, events

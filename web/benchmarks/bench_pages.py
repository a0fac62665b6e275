"""Benchmark: the web app's page times on a large province (issue #16: under a second each).

    .venv/bin/python -m web.benchmarks.bench_pages --cases 2600000 --out bench.json

In a scratch database it creates and drops: the hand-made cases of tests/dbt go through
a real `dbt build` (with the marts' indexes), then every mart is multiplied into a
province of `--cases` cases over `--units` copies of its units, and each page is asked
for (as an inspector login, through the app's own request handling) `--repeat` times.
The figures (median and worst seconds per page, row counts) go to a JSON file.
"""
from __future__ import annotations

import argparse
import json
import secrets
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from cchc import users, warehouse
from cchc.dbt_runner import run_dbt
from cchc.settings import state_dir, warehouse_dsn
from cchc.warehouse import with_dbname
from cchc_app.bootstrap import bootstrap

HAND_CASES_SQL = Path(__file__).parents[2] / "tests" / "dbt" / "hand_cases.sql"
YEAR = 2024
#: Columns naming a unit: each copy of the province gets its own units.
UNIT_COLUMNS = {"unit_code", "ranking_unit_code", "holder_unit_at_due", "receiving_unit_code",
                "transferred_to", "parent_code", "successor_code"}
CASE_TABLES = ("fct_cases", "mart_overdue_cases", "fct_case_month_ends", "fct_case_events")
UNIT_TABLES = ("dim_units", "mart_on_time", "mart_on_time_yearly", "mart_overdue",
               "mart_overdue_yearly", "mart_apology_letters", "mart_apology_letters_yearly",
               "mart_online_service_rate", "mart_online_service_rate_yearly")


def _columns(conn, table: str) -> list[str]:
    return [r[0] for r in conn.execute(
        "select column_name from information_schema.columns where table_schema = 'marts'"
        " and table_name = %s order by ordinal_position", (table,))]


def _multiply(conn, table: str, copies: int, units: int) -> None:
    """Replace the rows by `copies` copies k = 0.., codes suffixed -k, units -(k % units)."""
    columns = _columns(conn, table)
    unit_of = f"(k % {units})"
    exprs = []
    for column in columns:
        if column == "case_code":
            exprs.append("case_code || '-' || k")
        elif column in UNIT_COLUMNS:
            exprs.append(f"{column} || '-' || {unit_of}")
        else:
            exprs.append(column)
    listed = ", ".join(f'"{c}"' for c in columns)
    conn.execute(f"create temporary table seed_rows as select * from marts.{table}")
    conn.execute(f"truncate marts.{table}")
    conn.execute(f"insert into marts.{table} ({listed}) select {', '.join(exprs)}"
                 f" from seed_rows cross join generate_series(0, {copies - 1}) as k")
    conn.execute("drop table seed_rows")
    conn.execute(f"analyze marts.{table}")


def build_province(dsn: str, cases: int, units: int, target: Path) -> dict:
    with warehouse.connect(dsn) as conn:
        conn.execute(HAND_CASES_SQL.read_text(encoding="utf-8"))
    run_dbt(["build", "--exclude", "resource_type:test", "resource_type:unit_test"], dsn,
            {"report_year": YEAR}, target_path=target, quiet=True)
    with warehouse.connect(dsn) as conn:
        base = conn.execute("select count(*) from marts.fct_cases").fetchone()[0]
        copies = max(1, cases // base)
        for table in CASE_TABLES:
            _multiply(conn, table, copies, units)
        for table in UNIT_TABLES:
            _multiply(conn, table, units, units)
        _multiply(conn, "mart_par_index", units, units)
        counts = {t: conn.execute(f"select count(*) from marts.{t}").fetchone()[0]
                  for t in (*CASE_TABLES, "mart_on_time")}
    return counts


def _pages(year: int) -> dict[str, str]:
    unit = "S1-0"
    return {
        "league": f"/?nam={year}",
        "holder_units": f"/don-vi-giu?nam={year}",
        "unit": f"/don-vi/{unit}?nam={year}",
        "cases_received_total_month": f"/ho-so?don_vi={unit}&nam={year}&thang=3&cot=received_total",
        "cases_resolved_total_year": f"/ho-so?don_vi={unit}&nam={year}&cot=resolved_total",
        "cases_pending_overdue_dec": f"/ho-so?don_vi=C2-1&nam={year}&thang=12&cot=pending_overdue",
        "cases_carried_over": f"/ho-so?don_vi=D1-2&nam={year}&thang=2&cot=carried_over",
        "filter_late_without_apology": f"/ho-so?don_vi={unit}&nam={year}&loc=xin-loi-chua-dat",
        "filter_holder_unit": f"/ho-so?loc=qua-han&nam={year}&don_vi_giu={unit}",
        "filter_procedure": f"/ho-so?nam={year}&thu_tuc=P5&don_vi={unit}",
        "case": "/ho-so/D-1",
        "export_csv_unit_year": f"/ho-so?don_vi={unit}&nam={year}&cot=resolved_total"
                                "&xuat=ho-so&dinh_dang=csv",
    }


def measure(dsn: str, repeat: int) -> dict:
    from web.app import SESSION_COOKIE, create_app

    name = f"bench_{uuid.uuid4().hex[:8]}"
    password = users.add_user(dsn, name, "inspector")
    try:
        client = create_app(dsn).test_client()
        token = secrets.token_urlsafe(16)  # the login form's CSRF token, as a browser gets one
        client.set_cookie("cchc_csrf_dang_nhap", token)
        signed = client.post("/dang-nhap", data={"login": name, "password": password,
                                                 "csrf_token": token, "next": "/"})
        assert signed.status_code == 302, signed.status_code
        assert client.get_cookie(SESSION_COOKIE) is not None
        figures = {}
        for page, path in _pages(YEAR).items():
            times = []
            for _ in range(repeat):
                started = time.perf_counter()
                response = client.get(path)
                times.append(time.perf_counter() - started)
            # A failing page (e.g. the statement timeout) is a figure too, not a crash.
            figures[page] = {"median_s": round(statistics.median(times), 4),
                             "max_s": round(max(times), 4), "status": response.status_code,
                             "bytes": len(response.data)}
        return figures
    finally:
        users.remove_user(dsn, name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=2_600_000)
    parser.add_argument("--units", type=int, default=250,
                        help="copies of the hand-made units (4 each): the province's unit count / 4")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--server-dsn", help="default: the warehouse's server (embedded or WAREHOUSE_DSN)")
    parser.add_argument("--out", type=Path, default=state_dir() / "benchmarks" / "bench_web_pages.json")
    args = parser.parse_args()
    server_dsn = args.server_dsn or with_dbname(warehouse_dsn(), "postgres")
    name = f"bench_web_{uuid.uuid4().hex[:8]}"
    dsn = warehouse.create_database(server_dsn, name)
    try:
        bootstrap(dsn)
        started = time.perf_counter()
        with tempfile.TemporaryDirectory() as target:
            counts = build_province(dsn, args.cases, args.units, Path(target) / "target")
        built = time.perf_counter() - started
        figures = {"cases": counts["fct_cases"], "rows": counts, "units": args.units * 4,
                   "build_seconds": round(built, 1), "pages": measure(dsn, args.repeat)}
    finally:
        warehouse.drop_database(server_dsn, name)
    figures["slowest_page_s"] = max(p["max_s"] for p in figures["pages"].values())
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()

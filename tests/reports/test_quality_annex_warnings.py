"""The warning checks of issue #10 item 4 appear in the report's quality annex with their
counts: cases computed with the nearest procedure version, cases whose terminal date came
from NgayTra / NgayCapNhat."""

from __future__ import annotations

import datetime as dt
import re

import psycopg
from reports_marts_fixture import RUN_ID

from reports.build import build_annual_report

YEAR = 2025


def test_warnings_are_listed_with_their_counts(province_dsn, tmp_path):
    with psycopg.connect(province_dsn) as conn:
        conn.execute(
            'insert into marts.quality_results (run_id, checked_at, suite, "check", passed, '
            "observed, severity) values (%s, %s, 'marts__fct_cases', "
            "'marts.fct_cases.procedure_version_nearest', false, 2, 'warning'), "
            "(%s, %s, 'marts__fct_cases', 'marts.fct_cases.terminal_date_fallback', false, 5, "
            "'warning')",
            (RUN_ID, dt.datetime(2026, 1, 6, tzinfo=dt.UTC)) * 2)

    html = build_annual_report(province_dsn, YEAR, tmp_path).html.read_text(encoding="utf-8")

    annex = html[html.index("PHỤ LỤC"):]
    rows = {check: row for row in re.findall(r"<tr>.*?</tr>", annex, re.DOTALL)
            for check in re.findall(r"marts\.fct_cases\.\w+", row)}
    for check, count in (("marts.fct_cases.procedure_version_nearest", 2),
                         ("marts.fct_cases.terminal_date_fallback", 5)):
        assert "Cảnh báo" in rows[check] and "Không đạt" in rows[check]
        assert f'<td class="n">{count}</td>' in rows[check]

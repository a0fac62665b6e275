"""End to end: `cchc run` — what `make run` does — on a fresh warehouse and state folder.

The sample province is generated, its API feeds served by the emulator, and the whole
chain runs as one real Airflow DAG run (`airflow dags test cchc__annual_pipeline`) on a
real Postgres: reference data → every feed → dbt build → quality checks → gate →
report. The tests then read the warehouse and the report files it produced.
"""
from __future__ import annotations

import os
import secrets
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import psycopg
import pymupdf
import pytest

from cchc import inspection, users, warehouse
from cchc.net import free_port
from cchc.settings import AIRFLOW_LOGIN, DBT_PROJECT_DIR, STAGE_ROLES
from cchc.warehouse import BOOTSTRAP_APP
from expectations.severity import READINGS, SEVERITIES
from reports.bieu06 import COUNT_COLUMNS
from reports.data import read_period_data
from reports.periods import parse_period
from tests.e2e.watch import (
    ConnectionSampler,
    files_containing,
    personal_data_outside_raw,
    tables_containing,
)

pytestmark = pytest.mark.slow

REPORT_YEAR = 2025
#: A smaller province than `make run`'s keeps the suite within CI's budget; every unit
#: still delivers every month.
SAMPLE_SCALE = 0.1


@dataclass
class Run:
    result: subprocess.CompletedProcess
    state: Path
    airflow_db_dsn: str
    #: (database, login, superuser, application_name) seen on the warehouse and Airflow's
    #: metadata database
    connections: set
    applicant_key: str


@pytest.fixture(scope="module")
def pipeline_run(warehouse_dsn, server_dsn, tmp_path_factory):
    state = tmp_path_factory.mktemp("state")
    airflow_db = psycopg.conninfo.conninfo_to_dict(warehouse_dsn)["dbname"] + "_airflow"
    env = {
        **os.environ,
        "WAREHOUSE_DSN": warehouse_dsn,
        "CCHC_STATE_DIR": str(state),
        "CCHC_AIRFLOW_DB": airflow_db,
        # A key nobody could have written down: the scans below look for it everywhere.
        "CCHC_APPLICANT_KEY": secrets.token_urlsafe(24),
        # Not the default 18080, which a `make run` beside the tests may be serving.
        "CCHC_SAMPLE_API_PORT": str(free_port()),
    }
    dbname = psycopg.conninfo.conninfo_to_dict(warehouse_dsn)["dbname"]
    with ConnectionSampler(server_dsn, dbname, airflow_db) as sampler:
        result = subprocess.run(
            [sys.executable, "-m", "cchc_app.cli", "run", "--sample-scale", str(SAMPLE_SCALE)],
            env=env, capture_output=True, text=True, timeout=1500, check=False,
        )
    yield Run(result, state, warehouse.with_dbname(warehouse_dsn, airflow_db), sampler.seen,
              env["CCHC_APPLICANT_KEY"])
    warehouse.drop_database(server_dsn, airflow_db)


@pytest.fixture(scope="module")
def pipeline(pipeline_run):
    return pipeline_run.result, pipeline_run.state


def _lines(result) -> list[str]:
    return [line for line in result.stdout.splitlines() if line.strip()]


def test_run_succeeds_and_ends_with_the_report_path(pipeline):
    result, _ = pipeline
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-6000:]
    last = Path(_lines(result)[-1])
    assert last.suffix == ".html" and last.exists()


def test_run_prints_a_short_progress_display_and_keeps_the_rest_in_its_log(pipeline):
    result, state = pipeline
    printed = (result.stdout + result.stderr).splitlines()
    assert len(printed) < 60, "\n".join(printed)
    stages = [line.split(" ▸ ")[1].split(" —")[0] for line in printed if " ▸ " in line]
    assert [s.split()[1] for s in dict.fromkeys(stages)] == [
        "reference", "feeds", "dbt", "checks", "gate", "report"]
    log = Path(next(line for line in printed if "full log:" in line).split("full log: ")[1])
    assert log.parent == state / "airflow" / "runs"
    kept = log.read_text(encoding="utf-8")
    # Airflow's, dbt's and alembic's own lines went to the log, not the terminal
    assert "[DAG TEST] starting task_id=ingest_feed" in kept
    assert "[DAG TEST]" not in result.stdout
    assert "[DAG TEST] starting task_id=dbt_build" in kept
    assert " OK created sql table model marts." in kept  # dbt's own output


def test_report_files_exist_and_show_the_league_tables(pipeline, warehouse_dsn):
    result, _ = pipeline
    paths = [Path(line) for line in _lines(result)[-3:]]
    assert {p.suffix for p in paths} == {".html", ".pdf", ".xlsx"}
    assert all(p.exists() and p.stat().st_size > 0 for p in paths)
    html = next(p for p in paths if p.suffix == ".html").read_text(encoding="utf-8")
    assert f"BẢNG XẾP HẠNG CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {REPORT_YEAR}" in html
    with psycopg.connect(warehouse_dsn) as conn:
        ranked_names = [r[0] for r in conn.execute(
            "select distinct u.unit_name from marts.mart_par_index i "
            "join marts.dim_units u on u.unit_code = i.ranking_unit_code "
            "where i.period_year = %s", (REPORT_YEAR,))]
    assert ranked_names and all(name in html for name in ranked_names)
    workbook = openpyxl.load_workbook(next(p for p in paths if p.suffix == ".xlsx"), read_only=True)
    assert len(workbook.sheetnames) >= 2


def test_sample_report_names_publisher_procedures_and_checks(pipeline, warehouse_dsn):
    result, _ = pipeline
    paths = {Path(line).suffix: Path(line) for line in _lines(result)[-3:]}
    with pymupdf.open(paths[".pdf"]) as doc:
        text = " ".join(" ".join(page.get_text().split()) for page in doc)
    # the sample's reference/organisation.yml (sampledata.write_reference)
    assert "UBND TỈNH HẢI HÀ" in text and "Nguyễn Văn Mẫu" in text and "/BC-SNV" in text
    assert "[điền" not in text
    with psycopg.connect(warehouse_dsn) as conn:
        late = conn.execute(
            "select distinct p.procedure_name from marts.mart_overdue_cases o "
            "join marts.dim_procedures p using (procedure_code)").fetchall()
    assert late and any(f"{name} (mã " in text for (name,) in late)
    annex = text[text.index("PHỤ LỤC. CHẤT LƯỢNG DỮ LIỆU"):]
    assert all(READINGS[check].title in annex for check in SEVERITIES)
    sheet = openpyxl.load_workbook(paths[".xlsx"])["Biểu 06"]
    cells = {c.value for row in sheet.iter_rows() for c in row}
    assert {"GIÁM ĐỐC", "Nguyễn Văn Mẫu"} <= cells


def test_every_feed_kind_loaded_api_ones_through_the_emulator(pipeline, warehouse_dsn):
    from ingest.registry import load_registry

    _, state = pipeline
    feeds = load_registry(state / "sample" / "data").feeds
    with psycopg.connect(warehouse_dsn) as conn:
        loaded = {row[0] for row in conn.execute(
            "select distinct feed_unit_code from raw.deliveries where status = 'loaded'")}
    for kind in ("api", "csv", "xlsx"):
        of_kind = {f.unit_code for f in feeds if f.kind == kind}
        assert of_kind and of_kind <= loaded, kind


def test_every_delivery_reconciles(pipeline, warehouse_dsn):
    with psycopg.connect(warehouse_dsn) as conn:
        statuses = dict(conn.execute(
            "select status, count(*) from marts.load_audit group by status").fetchall())
        broken = conn.execute(
            "select count(*) from marts.load_audit "
            "where rows_read <> rows_loaded + rows_quarantined").fetchone()[0]
    assert statuses.get("loaded", 0) > 0
    assert broken == 0


def test_every_department_and_district_is_ranked(pipeline, warehouse_dsn):
    with psycopg.connect(warehouse_dsn) as conn:
        expected = {r[0] for r in conn.execute(
            "select unit_code from marts.dim_units where unit_kind in ('DEPARTMENT', 'DISTRICT') "
            "and valid_from <= %(d)s and (valid_to is null or valid_to >= %(d)s)",
            {"d": f"{REPORT_YEAR}-12-31"})}
        ranked = {r[0] for r in conn.execute(
            "select ranking_unit_code from marts.mart_par_index "
            "where period_year = %s and rank is not null", (REPORT_YEAR,))}
    assert expected and ranked == expected


def test_no_blocking_check_failed(pipeline, warehouse_dsn):
    with psycopg.connect(warehouse_dsn) as conn:
        failed = conn.execute(
            'select suite, "check" from marts.quality_results '
            "where run_id = (select run_id from marts.quality_results order by checked_at desc limit 1) "
            "and severity = 'blocking' and not passed").fetchall()
    assert failed == []


def test_only_the_bootstrap_connects_as_a_superuser(pipeline_run):
    """#11: every stage used its own login, Airflow its own on its metadata database; a
    superuser connection is the bootstrap's."""
    superusers = {seen for seen in pipeline_run.connections if seen[2]}
    assert {app for _db, _login, _su, app in superusers} <= {BOOTSTRAP_APP}, superusers
    airflow_db = psycopg.conninfo.conninfo_to_dict(pipeline_run.airflow_db_dsn)["dbname"]
    logins = {(db == airflow_db, login)
              for db, login, superuser, _app in pipeline_run.connections if not superuser}
    assert {(True, AIRFLOW_LOGIN)} == {seen for seen in logins if seen[0]}, logins
    assert {(False, role) for role in STAGE_ROLES.values()} <= logins, logins


def test_the_applicant_key_is_in_no_file_and_no_airflow_table(pipeline_run):
    key = pipeline_run.applicant_key
    assert files_containing(pipeline_run.state, key) == []
    for folder in ("target", "logs"):
        if (DBT_PROJECT_DIR / folder).exists():
            assert files_containing(DBT_PROJECT_DIR / folder, key) == []
    assert tables_containing(pipeline_run.airflow_db_dsn, key) == []


def test_no_personal_data_outside_raw(pipeline_run, warehouse_dsn):
    with psycopg.connect(warehouse_dsn) as conn:
        personal = conn.execute(
            "select count(*) from raw.case_snapshots where applicant_name is not null").fetchone()[0]
    assert personal > 0, "the sample carries names, or this test proves nothing"
    assert personal_data_outside_raw(warehouse_dsn) == {}


@pytest.fixture(scope="module")
def inspector_dsn(pipeline, warehouse_dsn):
    """A login created like `cchc user add NAME --role inspector` does."""
    name = f"thanhtra_{secrets.token_hex(4)}"
    password = users.add_user(warehouse_dsn, name, "inspector")
    params = psycopg.conninfo.conninfo_to_dict(warehouse_dsn)
    params.update(user=name, password=password)
    yield psycopg.conninfo.make_conninfo(**params)
    users.remove_user(warehouse_dsn, name)


def _pack(name: str) -> inspection.Query:
    return next(q for q in inspection.load_pack() if q.name == name)


def _busiest_unit(warehouse_dsn) -> str:
    """The unit with most late cases in the report year: every question has rows for it."""
    with psycopg.connect(warehouse_dsn) as conn:
        return conn.execute(
            "select unit_code from marts.mart_on_time_yearly where period_year = %s"
            " order by resolved_late desc, received_total desc limit 1", (REPORT_YEAR,)).fetchone()[0]


def test_pack_late_cases_without_compliant_apology(pipeline, warehouse_dsn, inspector_dsn):
    unit = _busiest_unit(warehouse_dsn)
    columns, rows = inspection.run(inspector_dsn, _pack("late_cases_without_compliant_apology"),
                                   {"unit_code": unit, "period_year": REPORT_YEAR})
    with psycopg.connect(warehouse_dsn) as conn:
        late, compliant = conn.execute(
            "select late_cases, apology_compliant from marts.mart_apology_letters_yearly"
            " where unit_code = %s and period_year = %s", (unit, REPORT_YEAR)).fetchone()
    # Terminal rows: the year's late cases (rules.md §7) less the compliant ones.
    terminal = [r for r in rows if r[columns.index("terminal_date")] is not None]
    assert late > 0 and len(terminal) == late - compliant


def test_pack_padded_appointments(pipeline, warehouse_dsn, inspector_dsn):
    with psycopg.connect(warehouse_dsn) as conn:
        unit, padded = conn.execute(
            "select unit_code, padded_appointments from marts.mart_overdue_yearly"
            " where period_year = %s order by padded_appointments desc limit 1",
            (REPORT_YEAR,)).fetchone()
    _columns, rows = inspection.run(inspector_dsn, _pack("padded_appointments"),
                                    {"unit_code": unit, "period_year": REPORT_YEAR})
    assert padded > 0 and len(rows) == padded


def test_pack_overdue_holder_units(pipeline, warehouse_dsn, inspector_dsn):
    columns, rows = inspection.run(inspector_dsn, _pack("overdue_holder_units"),
                                   {"period_year": REPORT_YEAR})
    with psycopg.connect(warehouse_dsn) as conn:
        expected = conn.execute(
            "select count(*) from marts.mart_overdue_cases"
            " where extract(year from due_date) = %s", (REPORT_YEAR,)).fetchone()[0]
    assert expected > 0 and len(rows) == expected
    assert all(r[columns.index("holder_unit_name")] for r in rows), "every holder unit is named"


@pytest.mark.parametrize("period", [f"{REPORT_YEAR}", f"{REPORT_YEAR}-Q2", f"{REPORT_YEAR}-06"])
def test_pack_bieu06_cell_lists_exactly_the_cases_it_counts(pipeline, warehouse_dsn,
                                                            inspector_dsn, period):
    """Every column of the busiest unit's Biểu 06 of the year, a quarter and a month, as
    the report publishes it (the year from mart_on_time_yearly), columns (12)/(13) too."""
    unit = _busiest_unit(warehouse_dsn)
    parsed = parse_period(period)
    with psycopg.connect(warehouse_dsn) as conn:
        if period == f"{REPORT_YEAR}":
            cells = conn.execute(
                f"select {', '.join(COUNT_COLUMNS)} from marts.mart_on_time_yearly"
                " where unit_code = %s and period_year = %s", (unit, REPORT_YEAR)).fetchone()
            cells = dict(zip(COUNT_COLUMNS, cells))
        else:
            cells = next(r for r in read_period_data(conn, parsed.year, parsed.first_month,
                                                     parsed.last_month).unit_rows
                         if r["unit_code"] == unit)
    for number, column in enumerate(COUNT_COLUMNS, start=3):
        _cols, rows = inspection.run(inspector_dsn, _pack("bieu06_cell_cases"), {
            "unit_code": unit, "period": period, "bieu06_column": str(number)})
        assert len(rows) == cells[column], (column, len(rows), cells[column])
        assert len({r[0] for r in rows}) == len(rows), "each case once per cell"


def test_pack_case_provenance_runs_as_the_loader_only(pipeline, warehouse_dsn, inspector_dsn):
    from ingest.registry import load_registry

    _, state = pipeline
    data_dir = state / "sample" / "data"
    with psycopg.connect(warehouse_dsn) as conn:
        case_code = conn.execute(
            "select s.case_code from raw.case_snapshots s join raw.deliveries d using (load_id)"
            " where d.source_kind = 'csv' and d.status = 'loaded' limit 1").fetchone()[0]
    query = _pack("case_provenance")
    columns, rows = inspection.run(warehouse.login_dsn(warehouse_dsn, "loader"), query,
                                   {"case_code": case_code})
    first = dict(zip(columns, rows[0]))
    landed = data_dir / load_registry(data_dir).feed(first["feed_unit_code"]).path / first["delivery"]
    assert first["record_kind"] == "case" and first["record_no"] >= 1 and landed.exists()
    # The file's data record number record_no holds the case code (1 = first after the header).
    lines = landed.read_bytes().decode("utf-8-sig", errors="replace").splitlines()
    assert case_code in lines[first["record_no"]]
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        inspection.run(inspector_dsn, query, {"case_code": case_code})


def test_inspector_runs_every_inspector_question(pipeline, inspector_dsn):
    for query in inspection.load_pack():
        if query.role == "inspector":
            params = dict.fromkeys(query.params, "")
            params.update(period_year=REPORT_YEAR, period=REPORT_YEAR, unit_code="H99.S01",
                          bieu06_column="3")
            inspection.run(inspector_dsn, query, {k: params[k] for k in query.params})


def test_reingesting_the_same_deliveries_changes_nothing(pipeline, warehouse_dsn):
    from ingest.pipeline import ingest_all

    _, state = pipeline
    data_dir = state / "sample" / "data"
    with psycopg.connect(warehouse_dsn) as conn:
        before = conn.execute("select count(*), max(load_id) from raw.deliveries").fetchone()
    outcomes = ingest_all(warehouse_dsn, data_dir, kinds=("csv", "xlsx"))
    with psycopg.connect(warehouse_dsn) as conn:
        after = conn.execute("select count(*), max(load_id) from raw.deliveries").fetchone()
    # Only the unchanged reference delivery is echoed back; no feed delivery is new.
    assert [o.feed for o in outcomes] == ["REFERENCE"] and outcomes[0].load_id <= before[1]
    assert after == before


def test_yearly_dag_publishes_a_past_year(pipeline, warehouse_dsn, monkeypatch):
    """`publish__annual_report` for 2024 (a backfilled year) on the same warehouse.

    It rebuilds the marts for 2024, so it runs last in this module.
    """
    from cchc_app.dag_run import run_dag, task_result

    _, state = pipeline
    monkeypatch.setenv("WAREHOUSE_DSN", warehouse_dsn)
    monkeypatch.setenv("CCHC_STATE_DIR", str(state))
    monkeypatch.setenv("CCHC_AIRFLOW_DB", psycopg.conninfo.conninfo_to_dict(warehouse_dsn)["dbname"] + "_airflow")
    monkeypatch.setenv("CCHC_DATA_DIR", str(state / "sample" / "data"))
    out_dir = state / "reports-2024"

    started = datetime.now(UTC)
    status = run_dag("publish__annual_report", {"year": 2024, "out_dir": str(out_dir)})

    assert status == 0
    paths = [Path(p) for p in task_result("publish__annual_report", "build_report", started)]
    assert {p.parent for p in paths} == {out_dir}
    html = next(p for p in paths if p.suffix == ".html").read_text(encoding="utf-8")
    assert "BẢNG XẾP HẠNG CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2024" in html
    with psycopg.connect(warehouse_dsn) as conn:
        ranked_2024 = conn.execute(
            "select count(*) from marts.mart_par_index where period_year = 2024 and rank is not null"
        ).fetchone()[0]
    assert ranked_2024 > 0

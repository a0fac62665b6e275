"""End to end: `cchc run` — what `make run` does — on a fresh warehouse and state folder.

The sample province is generated, its API feeds served by the emulator, and the whole
chain runs as one real Airflow DAG run (`airflow dags test cchc__annual_pipeline`) on a
real Postgres: reference data → every feed → dbt build → quality checks → gate →
report. The tests then read the warehouse and the report files it produced.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import psycopg
import pymupdf
import pytest

from cchc import warehouse
from expectations.severity import READINGS, SEVERITIES

pytestmark = pytest.mark.slow

REPORT_YEAR = 2025
#: A smaller province than `make run`'s keeps the suite within CI's budget; every unit
#: still delivers every month.
SAMPLE_SCALE = 0.1


@pytest.fixture(scope="module")
def pipeline(warehouse_dsn, server_dsn, tmp_path_factory):
    state = tmp_path_factory.mktemp("state")
    airflow_db = psycopg.conninfo.conninfo_to_dict(warehouse_dsn)["dbname"] + "_airflow"
    env = {
        **os.environ,
        "WAREHOUSE_DSN": warehouse_dsn,
        "CCHC_STATE_DIR": str(state),
        "CCHC_AIRFLOW_DB": airflow_db,
    }
    result = subprocess.run(
        [sys.executable, "-m", "cchc.cli", "run", "--sample-scale", str(SAMPLE_SCALE)],
        env=env, capture_output=True, text=True, timeout=1500, check=False,
    )
    yield result, state
    warehouse.drop_database(server_dsn, airflow_db)


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
    assert "dbt_build." in kept


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
    from cchc import airflow_runner

    _, state = pipeline
    monkeypatch.setenv("WAREHOUSE_DSN", warehouse_dsn)
    monkeypatch.setenv("CCHC_STATE_DIR", str(state))
    monkeypatch.setenv("CCHC_AIRFLOW_DB", psycopg.conninfo.conninfo_to_dict(warehouse_dsn)["dbname"] + "_airflow")
    monkeypatch.setenv("CCHC_DATA_DIR", str(state / "sample" / "data"))
    out_dir = state / "reports-2024"

    status = airflow_runner.run_dag("publish__annual_report", {"year": 2024, "out_dir": str(out_dir)})

    assert status == 0
    paths = [Path(p) for p in (out_dir / "LATEST.txt").read_text(encoding="utf-8").split()]
    html = next(p for p in paths if p.suffix == ".html").read_text(encoding="utf-8")
    assert "BẢNG XẾP HẠNG CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2024" in html
    with psycopg.connect(warehouse_dsn) as conn:
        ranked_2024 = conn.execute(
            "select count(*) from marts.mart_par_index where period_year = 2024 and rank is not null"
        ).fetchone()[0]
    assert ranked_2024 > 0

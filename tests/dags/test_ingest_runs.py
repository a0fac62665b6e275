"""Real runs of the ingest DAGs with `airflow dags test` on a copy of the sample deliveries."""
from __future__ import annotations

from datetime import datetime

import psycopg
import pytest

from cchc.settings import LOCAL_TZ
from cchc_app.dag_run import run_dag

pytestmark = pytest.mark.slow

#: The daily run at midnight of 4 January covers 3 January.
COVERS_3_JANUARY = datetime(2024, 1, 4, tzinfo=LOCAL_TZ)


def _deliveries(dsn: str, feed: str) -> list[tuple]:
    with psycopg.connect(dsn) as conn:
        return conn.execute(
            "select load_id, delivery, delivery_day, status, rows_read, rows_loaded,"
            " rows_quarantined, content_hash from raw.deliveries"
            " where feed_unit_code = %s order by load_id", (feed,)).fetchall()


@pytest.fixture(scope="module")
def reference_loaded(airflow_for_module, warehouse_dsn):
    assert run_dag("ingest__reference", {}) == 0
    return _deliveries(warehouse_dsn, "REFERENCE")


def test_reference_dag_loads_the_reference_files(reference_loaded):
    assert [row[3] for row in reference_loaded] == ["loaded"]


def test_csv_feed_run_loads_exactly_its_day_and_a_rerun_changes_nothing(
        airflow_for_module, warehouse_dsn, reference_loaded):
    assert run_dag("ingest__H99_S03", {}, COVERS_3_JANUARY) == 0
    first = _deliveries(warehouse_dsn, "H99.S03")
    assert [(r[1], str(r[2]), r[3]) for r in first] == [("hoso_20240103.csv", "2024-01-03", "loaded")]
    assert first[0][4] == first[0][5] + first[0][6] > 0

    assert run_dag("ingest__H99_S03", {}, COVERS_3_JANUARY) == 0
    assert _deliveries(warehouse_dsn, "H99.S03") == first


def test_rejected_delivery_fails_the_run_naming_unit_file_and_column(
        airflow_for_module, warehouse_dsn, reference_loaded, sample_data_dir, capfd):
    landed = sample_data_dir / "landing" / "H99.S03" / "hoso_20240104.csv"
    header, *rows = landed.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    landed.write_text(header.replace("Mã TTHC;", "") + "".join(rows), encoding="utf-8-sig")

    covers_4_january = datetime(2024, 1, 5, tzinfo=LOCAL_TZ)

    for attempt in ("first run", "rerun"):  # a rerun must not turn green on a skipped file
        status = run_dag("ingest__H99_S03", {}, covers_4_january)
        output = capfd.readouterr().out
        assert status != 0, attempt
        assert "Unit H99.S03, days 2024-01-04…2024-01-04: deliveries rejected" in output, attempt
        assert "hoso_20240104.csv: rejected" in output and "Mã TTHC" in output, attempt
    assert [r[3] for r in _deliveries(warehouse_dsn, "H99.S03")] == ["loaded", "rejected"]

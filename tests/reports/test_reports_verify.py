"""`cchc report --verify EDITION` (issue #13): an edition of a generated province, built
by the real ingest, a real `dbt build` and the report, is rebuilt from the deliveries it
recorded in a scratch database. Untouched, it matches; with a published figure altered
and one of its deliveries changed in raw, it differs, naming the figure and the delivery.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys

import psycopg
import pytest

from cchc.dbt_runner import run_dbt
from reports.build import build_annual_report
from reports.figures import describe_key, figure_source, format_figure
from sampledata.generate import generate
from tests.dbt.conftest import ingest_sample

pytestmark = pytest.mark.slow

YEAR = 2025


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def edition(warehouse_dsn, tmp_path_factory) -> int:
    """The first edition of YEAR's report on a small generated province."""
    sample = generate(tmp_path_factory.mktemp("sample"), seed=11, scale=0.02,
                      api_port=_free_port())
    ingest_sample(warehouse_dsn, sample)
    run_dbt(["build"], warehouse_dsn, {"report_year": YEAR},
            target_path=tmp_path_factory.mktemp("dbt") / "target", quiet=True)
    return build_annual_report(warehouse_dsn, YEAR, tmp_path_factory.mktemp("report")).edition_id


def _verify(dsn: str, edition_id: int) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cchc_app.cli", "report", "--verify", str(edition_id)],
        env={**os.environ, "WAREHOUSE_DSN": dsn}, capture_output=True, text=True,
        timeout=1800, check=False)


def _scratch_databases(dsn: str) -> list[str]:
    with psycopg.connect(dsn) as conn:
        return [r[0] for r in conn.execute(
            "select datname from pg_database where datname like 'cchc_verify_%'")]


def test_a_fresh_edition_rebuilds_to_its_published_figures(warehouse_dsn, edition):
    result = _verify(warehouse_dsn, edition)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "KHỚP: dựng lại" in result.stdout
    assert "không còn như lúc công bố" not in result.stdout  # no delivery changed
    with psycopg.connect(warehouse_dsn) as conn:
        figures_hash, count = conn.execute(
            "select figures_hash, figure_count from publish.editions where edition_id = %s",
            (edition,)).fetchone()
    assert f"dựng lại {count} số liệu" in result.stdout and figures_hash[:12] in result.stdout
    assert _scratch_databases(warehouse_dsn) == []  # the scratch database is gone


def test_an_unknown_edition_cannot_be_verified(warehouse_dsn, edition):
    result = _verify(warehouse_dsn, edition + 1000)

    assert result.returncode == 2
    assert f"Không kiểm tra được lần phát hành {edition + 1000}" in result.stderr
    assert "không có lần phát hành mã" in result.stderr


def test_an_altered_figure_and_a_changed_delivery_are_named(warehouse_dsn, edition):
    with psycopg.connect(warehouse_dsn) as conn:
        # A case delivery rewritten in raw: its cases gone, another content hash ...
        load_id, delivery = conn.execute(
            """select d.load_id, d.delivery from raw.deliveries d
               join publish.edition_deliveries e on e.load_id = d.load_id and e.edition_id = %s
               where d.source_kind = 'csv' and d.record_kind = 'cases'
               order by d.rows_loaded desc, d.load_id limit 1""", (edition,)).fetchone()
        # ... and a published figure of a unit it does not deliver, altered after publication.
        key, value = conn.execute(
            """select figure_key, value from publish.edition_figures where edition_id = %s
               and figure_key like 'units|%%|2025|received_total' and value > 0
               and split_part(figure_key, '|', 2) not in (
                   select unit_code from raw.case_snapshots where load_id = %s)
               order by figure_key limit 1""", (edition, load_id)).fetchone()
        conn.execute("update publish.edition_figures set value = value + 7"
                     " where edition_id = %s and figure_key = %s", (edition, key))
        conn.execute("delete from raw.case_snapshots where load_id = %s", (load_id,))
        conn.execute("update raw.deliveries set content_hash = repeat('0', 64)"
                     " where load_id = %s", (load_id,))

    result = _verify(warehouse_dsn, edition)

    out = result.stdout
    assert result.returncode == 1, out + result.stderr
    assert "KHÔNG KHỚP" in out
    unit, table, column, _period = figure_source(key)
    # The altered figure: unit, mart table, column, published vs rebuilt.
    altered = next(line for line in out.splitlines() if f"đơn vị {unit}, bảng {table}, cột "
                   f"{column}, 2025]" in line)
    assert f"công bố {format_figure(key, value + 7)}, dựng lại {format_figure(key, value)}" \
        in altered
    assert describe_key(key, lambda code: code).split(" – ", 1)[1] in altered
    assert "đã bị sửa sau khi công bố" in out
    # The changed delivery, and the figures it moved (received counts of its unit).
    assert f"lô {load_id} (" in out and delivery in out
    assert "mã băm nội dung đã đổi" in out and "không còn bản ghi nào trong raw" in out
    assert out.count("bảng marts.mart_on_time") > 1

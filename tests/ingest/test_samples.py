"""The real sample deliveries of the shared folder load as delivered."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from ingest import __main__ as cli
from ingest.pipeline import ingest_all, ingest_feed
from sampledata.api_emulator import ApiEmulator
from tests.ingest.kit import query, write_api_dataset
from tests.paths import SAMPLE_DELIVERIES as SAMPLES

REPO = Path(__file__).resolve().parents[2]


def test_sample_files_load_completely(dsn, tmp_path):
    data_dir = tmp_path / "data"
    shutil.copytree(SAMPLES, data_dir)

    outcomes = ingest_all(dsn, data_dir, kinds=("csv", "xlsx"))

    files = [o for o in outcomes if o.feed != "REFERENCE"]
    # 6+6+8+4 daily case files, 4 event files and 8 workbooks; every row loads.
    assert len(files) == 36
    assert {o.status for o in files} == {"loaded"}
    assert query(dsn, "select sum(rows_read), sum(rows_quarantined) from raw.deliveries"
                      " where source_kind <> 'reference'") == [(62, 0)]
    extra = query(dsn, "select distinct feed_unit_code, extra_columns from raw.deliveries"
                       " where extra_columns <> '{}'")
    assert extra == [("H99.S05", ["Cán bộ tiếp nhận", "Ghi chú", "Mã hồ sơ liên thông"])]
    assert query(dsn, "select count(*) from raw.case_snapshots"
                      " where applicant_name <> normalize(applicant_name, NFC)") == [(0,)]


def test_command_line_prints_one_line_per_delivery(dsn, tmp_path, capsys):
    data_dir = tmp_path / "data"
    shutil.copytree(SAMPLES, data_dir)
    args = ["--dsn", dsn, "--data-dir", str(data_dir)]

    assert cli.main([*args, "reference"]) == 0
    assert cli.main([*args, "feed", "H99.S06", "--from", "2024-01-10"]) == 0
    lines = capsys.readouterr().out.splitlines()[1:]
    # The module runs as `python -m ingest` too; an API feed without its token fails.
    failed = subprocess.run([sys.executable, "-m", "ingest", *args, "feed", "H99.S01"],
                            cwd=REPO, check=False, capture_output=True, text=True)

    assert [line.split()[2] for line in lines] == [
        "hoso_20240110.csv", "hoso_20240111.csv", "hoso_20240112.csv"]
    assert all("loaded" in line for line in lines)
    assert failed.returncode == 1 and "ORACLE_API_TOKEN_H99_S01" in failed.stderr


def test_sample_api_page_lands_through_the_emulator(dsn, tmp_path, monkeypatch):
    data_dir = tmp_path / "data"
    shutil.copytree(SAMPLES, data_dir)
    page = json.loads((SAMPLES / "api/H99.S01_page1.json").read_text(encoding="utf-8"))
    write_api_dataset(tmp_path / "api", "H99.S01", page["duLieu"])
    monkeypatch.setenv("ORACLE_API_TOKEN_H99_S01", "sample-token")
    sources = data_dir / "reference/sources.yml"
    with ApiEmulator(tmp_path / "api", tokens={"H99.S01": "sample-token"}) as emulator:
        document = yaml.safe_load(sources.read_text(encoding="utf-8"))
        document["sources"][0]["base_url"] = emulator.base_url_for("H99.S01")
        sources.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
        ingest_all(dsn, data_dir, kinds=())

        [window] = ingest_feed(dsn, data_dir, "H99.S01")

    assert (window.rows_read, window.rows_loaded, window.rows_quarantined) == (5, 5, 0)
    assert query(dsn, "select case_code, event_type, reason from raw.case_events") == [
        ("H99.S01-240110-0001", "XIN_LOI", "Cán bộ xử lý nghỉ ốm đột xuất")]

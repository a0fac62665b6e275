"""Benchmark: land one generated daily CSV of N case rows; report rows/s and peak RSS.

    .venv/bin/python -m ingest.benchmarks.bench_csv_load --rows 200000 \\
        --server-dsn postgresql://postgres@127.0.0.1:5432/postgres --out bench.json

It works in a scratch database it creates and drops on the given server, so it never
touches a real warehouse. Run it at two sizes: a flat peak RSS shows the load streams.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import tempfile
import time
from pathlib import Path

from cchc import warehouse
from cchc.settings import state_dir, warehouse_dsn
from cchc.warehouse import with_dbname
from cchc_app.bootstrap import bootstrap
from ingest.pipeline import ingest_feed, load_reference

HEADER = ("Mã hồ sơ;Mã đơn vị;Mã TTHC;Hình thức nộp;Ngày tiếp nhận;Ngày hẹn trả;"
          "Ngày có kết quả;Ngày trả kết quả;Trạng thái;Loại chủ hồ sơ;Số giấy tờ;Họ tên;"
          "Số điện thoại;Thanh toán trực tuyến;Số hóa kết quả;Đánh giá;Ngày cập nhật")
REFERENCE = {
    "units.csv": "unit_code,unit_name,unit_kind,parent_code,valid_from,valid_to,successor_code\n"
                 "B.S01,Sở Tư pháp,DEPARTMENT,,2015-01-01,,\n",
    "procedures.csv": "procedure_code,procedure_name,sector,authority_level,statutory_days,"
                      "online_level,valid_from,valid_to\n"
                      "1.001612,Đăng ký khai sinh,Hộ tịch,PROVINCE,3,FULL,2020-01-01,\n",
    "sources.yml": "sources:\n  - {unit_code: B.S01, kind: csv, path: landing/B.S01}\n",
}


def write_data_dir(root: Path, rows: int) -> Path:
    """A data directory with minimal reference files and one day of `rows` cases."""
    (root / "reference").mkdir(parents=True)
    for name, text in REFERENCE.items():
        (root / "reference" / name).write_text(text, encoding="utf-8")
    landing = root / "landing" / "B.S01"
    landing.mkdir(parents=True)
    with (landing / "hoso_20240103.csv").open("w", encoding="utf-8-sig", newline="") as out:
        out.write(HEADER + "\r\n")
        for n in range(rows):
            minute = n % 60
            out.write(f"B.S01-240103-{n:07d};B.S01;1.001612;Trực tuyến;03/01/2024 08:{minute:02d};"
                      f"08/01/2024 17:00;;;Đang xử lý;Công dân;0310990{n:05d};Nguyễn Văn An;"
                      f"0912345678;Có;;;03/01/2024 09:{minute:02d}\r\n")
    (landing / "hoso_20240103.csv.ok").write_text(str(rows), encoding="ascii")
    return root


def run(server_dsn: str, rows: int) -> dict:
    """Load `rows` generated rows into a scratch database; the measured figures."""
    name = f"bench_ingest_{os.getpid()}"
    dsn = warehouse.create_database(server_dsn, name)
    try:
        bootstrap(dsn)
        with tempfile.TemporaryDirectory() as tmp:
            data_dir = write_data_dir(Path(tmp), rows)
            load_reference(dsn, data_dir)
            started = time.perf_counter()
            [outcome] = ingest_feed(dsn, data_dir, "B.S01")
            seconds = time.perf_counter() - started
    finally:
        warehouse.drop_database(server_dsn, name)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux
    return {"rows": rows, "rows_loaded": outcome.rows_loaded, "seconds": round(seconds, 3),
            "rows_per_second": round(rows / seconds), "peak_rss_mb": round(peak_kb / 1024, 1)}


def main() -> None:
    """Parse arguments, run, print and write the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--server-dsn", help="default: the warehouse's server (embedded or WAREHOUSE_DSN)")
    parser.add_argument("--out", type=Path, default=state_dir() / "benchmarks" / "bench_csv_load.json")
    args = parser.parse_args()
    server_dsn = args.server_dsn or with_dbname(warehouse_dsn(), "postgres")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    figures = run(server_dsn, args.rows)
    print(json.dumps(figures))
    args.out.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

"""Benchmark: land generated daily CSV files of N case rows; our ingest against a plain
COPY and pandas `to_sql` of the very same files, with rows/s and peak RSS.

    .venv/bin/python -m ingest.benchmarks.bench_csv_load --rows 200000 --files 1 \\
        --server-dsn postgresql://postgres@127.0.0.1:5432/postgres --out bench.json

It works in a scratch database it creates and drops on the given server, so it never
touches a real warehouse. The baselines (issue 12): `copy_rows_per_s` is a text COPY of
the files into an unindexed table of text columns, `to_sql_rows_per_s` is
`pandas.read_csv` + `DataFrame.to_sql` of the same files (pandas' default inserts).
The peak RSS is taken after our ingest, before the baselines run. Run it at two sizes:
a flat peak RSS shows the load streams.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import psycopg

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


def write_data_dir(root: Path, rows: int, files: int = 1) -> Path:
    """A data directory with minimal reference files and `rows` cases over `files` days."""
    (root / "reference").mkdir(parents=True)
    for name, text in REFERENCE.items():
        (root / "reference" / name).write_text(text, encoding="utf-8")
    landing = root / "landing" / "B.S01"
    landing.mkdir(parents=True)
    per_file = -(-rows // files)
    for day in range(files):
        chunk = range(day * per_file, min(rows, (day + 1) * per_file))
        name = f"hoso_{date(2024, 1, 1) + timedelta(days=day):%Y%m%d}.csv"
        with (landing / name).open("w", encoding="utf-8-sig", newline="") as out:
            out.write(HEADER + "\r\n")
            for n in chunk:
                minute = n % 60
                out.write(f"B.S01-240103-{n:07d};B.S01;1.001612;Trực tuyến;"
                          f"03/01/2024 08:{minute:02d};08/01/2024 17:00;;;Đang xử lý;Công dân;"
                          f"0310990{n % 100000:05d};Nguyễn Văn An;0912345678;Có;;;"
                          f"03/01/2024 09:{minute:02d}\r\n")
        (landing / f"{name}.ok").write_text(str(len(chunk)), encoding="ascii")
    return root


def _copy_baseline(dsn: str, files: list[Path]) -> float:
    """Seconds for a plain text COPY of the files into an unindexed table of text columns."""
    columns = ", ".join(f"c{i} text" for i in range(HEADER.count(";") + 1))
    with psycopg.connect(dsn) as conn:
        conn.execute(f"create table bench_copy ({columns})")
        conn.commit()
        started = time.perf_counter()
        for path in files:
            with conn.cursor() as cur, cur.copy(
                    "copy bench_copy from stdin (format csv, delimiter ';', header true)") as copy:
                copy.write(path.read_bytes().removeprefix(b"\xef\xbb\xbf"))
            conn.commit()
        return time.perf_counter() - started


def _to_sql_baseline(dsn: str, files: list[Path]) -> float:
    """Seconds for pandas to read the files and `to_sql` them (default method)."""
    import pandas
    import sqlalchemy

    # The DSN may be key=value text, which SQLAlchemy URLs cannot hold: hand it a connector.
    engine = sqlalchemy.create_engine("postgresql+psycopg://",
                                      creator=lambda: psycopg.connect(dsn))
    try:
        started = time.perf_counter()
        for path in files:
            frame = pandas.read_csv(path, sep=";", dtype=str, encoding="utf-8-sig")
            frame.to_sql("bench_to_sql", engine, if_exists="append", index=False)
        return time.perf_counter() - started
    finally:
        engine.dispose()


def run(server_dsn: str, rows: int, files: int = 1, baselines: bool = True) -> dict:
    """Load `rows` generated rows in `files` files into a scratch database; the figures."""
    name = f"bench_ingest_{os.getpid()}"
    dsn = warehouse.create_database(server_dsn, name)
    try:
        bootstrap(dsn)
        with tempfile.TemporaryDirectory() as tmp:
            data_dir = write_data_dir(Path(tmp), rows, files)
            load_reference(dsn, data_dir)
            started = time.perf_counter()
            outcomes = ingest_feed(dsn, data_dir, "B.S01")
            seconds = time.perf_counter() - started
            peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kB on Linux
            paths = sorted((data_dir / "landing" / "B.S01").glob("*.csv"))
            copy_s = _copy_baseline(dsn, paths) if baselines else None
            to_sql_s = _to_sql_baseline(dsn, paths) if baselines else None
    finally:
        warehouse.drop_database(server_dsn, name)
    figures = {"rows": rows, "files": files,
               "rows_loaded": sum(o.rows_loaded for o in outcomes),
               "seconds": round(seconds, 3), "rows_per_second": round(rows / seconds),
               "peak_rss_mb": round(peak_kb / 1024, 1),
               "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.system()}"}
    if baselines:
        figures |= {"copy_rows_per_s": round(rows / copy_s),
                    "to_sql_rows_per_s": round(rows / to_sql_s),
                    "ratio_to_copy": round(copy_s / seconds, 3),
                    "ratio_to_to_sql": round(to_sql_s / seconds, 2)}
    return figures


def main() -> None:
    """Parse arguments, run, print and write the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--files", type=int, default=1, help="daily files the rows are spread over")
    parser.add_argument("--no-baselines", action="store_true",
                        help="skip the COPY and to_sql baselines")
    parser.add_argument("--server-dsn", help="default: the warehouse's server (embedded or WAREHOUSE_DSN)")
    parser.add_argument("--out", type=Path, default=state_dir() / "benchmarks" / "bench_csv_load.json")
    args = parser.parse_args()
    server_dsn = args.server_dsn or with_dbname(warehouse_dsn(), "postgres")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    figures = run(server_dsn, args.rows, args.files, not args.no_baselines)
    print(json.dumps(figures))
    args.out.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

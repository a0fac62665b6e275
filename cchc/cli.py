"""`cchc`: the command line for the Department's staff and the data engineers.

    cchc run [--data-dir DIR] [--year YYYY]   whole pipeline as an Airflow DAG run
    cchc report --year YYYY [--out DIR]       gate + annual report from the current marts
    cchc sample-data [--out DIR]              generate the bundled sample province
    cchc db start|stop|status|dsn             the embedded warehouse server
    cchc airflow standalone                   the Airflow UI on the project's metadata DB
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from cchc import settings

#: The sample province covers these years; the report is on the last one.
SAMPLE_YEARS = (2024, 2025)
PIPELINE_DAG_ID = "cchc__annual_pipeline"


def _say(message: str) -> None:
    print(f"[cchc] {message}", flush=True)


def cmd_db(args: argparse.Namespace) -> int:
    from cchc import embedded_pg

    if os.environ.get("WAREHOUSE_DSN") and args.action != "dsn":
        _say("WAREHOUSE_DSN is set: the warehouse is that server, not the embedded one.")
    if args.action == "start":
        server = embedded_pg.ensure_running()
        _say(f"embedded Postgres running on 127.0.0.1:{server.port} (data: {server.data_dir})")
        print(server.dsn())
    elif args.action == "stop":
        _say("stopped" if embedded_pg.stop() else "was not running")
    elif args.action == "status":
        server = embedded_pg.status()
        _say(f"running on 127.0.0.1:{server.port}" if server else "not running")
        return 0 if server else 3
    else:
        print(settings.warehouse_dsn())
    return 0


def _generate_sample(out: Path, scale: float):
    from sampledata.generate import DEFAULT_API_PORT, generate

    _say(f"generating the sample province ({', '.join(map(str, SAMPLE_YEARS))}, scale {scale}) in {out} …")
    # Two sample runs on one machine (parallel test sessions) need different emulator ports.
    api_port = int(os.environ.get("CCHC_SAMPLE_API_PORT", DEFAULT_API_PORT))
    return generate(out, years=SAMPLE_YEARS, scale=scale, api_port=api_port)


def cmd_sample_data(args: argparse.Namespace) -> int:
    info = _generate_sample(Path(args.out) if args.out else settings.sample_dir(), args.scale)
    _say(f"sample data directory: {info.data_dir}")
    return 0


def _prepare_warehouse() -> str:
    from cchc import warehouse

    dsn = settings.warehouse_dsn()
    warehouse.bootstrap(dsn)
    return dsn


def cmd_run(args: argparse.Namespace) -> int:
    from cchc import airflow_runner

    conf: dict = {}
    if args.data_dir:
        data_dir = Path(args.data_dir).resolve()
        year = args.year or _previous_year()
    else:
        info = _generate_sample(settings.sample_dir(), args.sample_scale)
        data_dir = Path(info.data_dir)
        year = args.year or SAMPLE_YEARS[-1]
        conf["api_emulator_dir"] = str(info.api_dataset_dir)
        # The emulator accepts the sample's own tokens; real feeds bring theirs in the environment.
        for _unit, (token_env, token) in sorted(info.api_feeds.items()):
            os.environ.setdefault(token_env, token)
    out_dir = settings.reports_dir() / str(year)
    _say("starting the warehouse database …")
    _prepare_warehouse()
    conf.update({"data_dir": str(data_dir), "year": int(year), "out_dir": str(out_dir)})
    _say(f"running DAG {PIPELINE_DAG_ID} for {year} on {data_dir} …")
    status = airflow_runner.run_dag(PIPELINE_DAG_ID, conf)
    if status != 0:
        _say(f"the pipeline failed (exit {status}); the task log above says where and why.")
        return status
    latest = out_dir / "LATEST.txt"
    paths = latest.read_text(encoding="utf-8").split() if latest.exists() else []
    if not paths:
        _say(f"the pipeline finished but wrote no report paths to {latest}")
        return 1
    # The HTML report (league tables first) is the one a person opens: it goes last.
    _say("report files:")
    for path in sorted(paths, key=lambda p: p.endswith(".html")):
        print(path)
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from expectations.gate import GateClosed, assert_open
    from reports.build import build_annual_report

    dsn = _prepare_warehouse()
    try:
        decision = assert_open(dsn, args.year)
    except GateClosed as closed:
        print(closed, file=sys.stderr)
        return 2
    out = Path(args.out) if args.out else settings.reports_dir() / str(args.year)
    files = build_annual_report(dsn, args.year, out, quality=decision)
    print(files.pdf)
    print(files.xlsx)
    print(files.html)
    return 0


def cmd_airflow(args: argparse.Namespace) -> int:
    from cchc import airflow_runner

    _prepare_warehouse()
    return airflow_runner.standalone()


def _previous_year() -> int:
    from datetime import date

    return date.today().year - 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cchc", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="build the warehouse and the year's report through Airflow")
    run.add_argument("--data-dir", help="a data directory laid out as sources.md §1b (default: the bundled sample)")
    run.add_argument("--year", type=int, help="report year; open cases are judged at 31 December")
    run.add_argument("--sample-scale", type=float, default=1.0,
                     help="size of the generated sample province (without --data-dir); 1.0 ≈ 50k cases")
    run.set_defaults(func=cmd_run)

    report = sub.add_parser("report", help="quality gate and annual report from the current marts")
    report.add_argument("--year", type=int, required=True)
    report.add_argument("--out", help="output folder (default .local/reports/<year>)")
    report.set_defaults(func=cmd_report)

    sample = sub.add_parser("sample-data", help="generate the sample province")
    sample.add_argument("--out", help="output folder (default .local/sample)")
    sample.add_argument("--scale", type=float, default=1.0, help="province size; 1.0 ≈ 50k cases")
    sample.set_defaults(func=cmd_sample_data)

    db = sub.add_parser("db", help="the embedded warehouse server")
    db.add_argument("action", choices=["start", "stop", "status", "dsn"])
    db.set_defaults(func=cmd_db)

    airflow = sub.add_parser("airflow", help="Airflow UI for the project")
    airflow.add_argument("action", choices=["standalone"])
    airflow.set_defaults(func=cmd_airflow)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())

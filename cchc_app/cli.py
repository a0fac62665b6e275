"""`cchc`: the command line for the Department's staff and the data engineers.

    cchc run [--data-dir DIR] [--year YYYY]   whole pipeline as an Airflow DAG run
    cchc report --year YYYY [--out DIR]       gate + annual report from the current marts
    cchc report --period 2025-Q3 [--out DIR]  gate + Biểu 06 of a month/quarter/half/year
    cchc report --verify EDITION              rebuild an edition's figures from its deliveries
    cchc sample-data [--out DIR] [--cases N]  generate the bundled sample province
    cchc db start|stop|status|dsn             the embedded warehouse server
    cchc user add NAME --role inspector|reporter | list | remove NAME
                                              people's logins to the warehouse
    cchc airflow standalone                   the Airflow UI on the project's metadata DB
    cchc web [--host H] [--port P]            the inspectors' web app over the marts
"""
from __future__ import annotations

import argparse
import contextlib
import os
import sys
from datetime import UTC, datetime
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


def _generate_sample(out: Path, scale: float, cases: int | None = None):
    from sampledata.generate import DEFAULT_API_PORT, generate

    size = f"{cases} cases a year" if cases is not None else f"scale {scale}"
    _say(f"generating the sample province ({', '.join(map(str, SAMPLE_YEARS))}, {size}) in {out} …")
    # Two sample runs on one machine (parallel test sessions) need different emulator ports.
    api_port = int(os.environ.get("CCHC_SAMPLE_API_PORT", DEFAULT_API_PORT))
    return generate(out, years=SAMPLE_YEARS, scale=scale, cases_per_year=cases, api_port=api_port)


def cmd_sample_data(args: argparse.Namespace) -> int:
    info = _generate_sample(Path(args.out) if args.out else settings.sample_dir(), args.scale,
                            args.cases)
    _say(f"sample data directory: {info.data_dir} ({info.accepted_cases} cases accepted)")
    return 0


def _prepare_warehouse() -> None:
    """The bootstrap: the one step that connects as the administrator."""
    from cchc_app.bootstrap import bootstrap

    bootstrap(settings.warehouse_dsn())


def cmd_run(args: argparse.Namespace) -> int:
    from cchc_app.dag_run import run_dag, task_result

    info = None
    if args.data_dir:
        try:
            settings.applicant_key()
        except settings.MissingApplicantKey as missing:
            print(missing, file=sys.stderr)
            return 2
        data_dir = Path(args.data_dir).resolve()
        year = args.year or _previous_year()
    else:
        _sample_applicant_key(None)
        info = _generate_sample(settings.sample_dir(), args.sample_scale)
        data_dir = Path(info.data_dir)
        year = args.year or SAMPLE_YEARS[-1]
        # The emulator accepts the sample's own tokens; real feeds bring theirs in the environment.
        for _unit, (token_env, token) in sorted(info.api_feeds.items()):
            os.environ.setdefault(token_env, token)
    out_dir = settings.reports_dir() / str(year)
    _say("starting the warehouse database …")
    _prepare_warehouse()
    conf = {"data_dir": str(data_dir), "year": int(year), "out_dir": str(out_dir)}
    _say(f"running DAG {PIPELINE_DAG_ID} for {year} on {data_dir} …")
    started = datetime.now(UTC)
    with _sample_api(data_dir, info.api_dataset_dir) if info else contextlib.nullcontext():
        status = run_dag(PIPELINE_DAG_ID, conf, total_feeds=_feed_count(data_dir))
    if status != 0:
        return status  # the progress display has said what failed and where to look
    paths = task_result(PIPELINE_DAG_ID, "build_report", started)
    if not paths:
        _say("the pipeline finished but its task build_report returned no report paths")
        return 1
    # The HTML report (league tables first) is the one a person opens: it goes last.
    _say("report files:")
    for path in sorted(paths, key=lambda p: p.endswith(".html")):
        print(path)
    return 0


def _sample_api(data_dir: Path, dataset_dir: Path) -> contextlib.AbstractContextManager:
    """The sample's API emulator, serving every API feed of its sources.yml (one host and
    port, /<unit>/v1/hoso) for the length of the run: the production ingest tasks only
    ever call the feeds' base_url."""
    from urllib.parse import urlsplit

    from ingest.registry import load_registry
    from sampledata.api_emulator import ApiEmulator

    feeds = [feed for feed in load_registry(data_dir).feeds if feed.kind == "api"]
    if not feeds:
        return contextlib.nullcontext()
    url = urlsplit(feeds[0].base_url)
    # The emulator demands the token each feed's client sends: both come from token_env.
    return ApiEmulator(dataset_dir, url.hostname, url.port or 80,
                       tokens={feed.unit_code: feed.token() for feed in feeds})


def _feed_count(data_dir: Path) -> int | None:
    """How many feeds the run will ingest (the progress bar's whole), if sources.yml is valid;
    an invalid one is reported by the run's reference stage."""
    from ingest.problems import IngestError
    from ingest.registry import load_registry

    try:
        return len(load_registry(data_dir).feeds)
    except IngestError:
        return None


def _sample_applicant_key(data_dir: str | None) -> None:
    """The bundled sample's applicant key, generated on first use and kept in .local/secrets
    (API tokens are derived at run time too): nothing of it is committed. A real data
    directory brings its own key (settings.applicant_key)."""
    from cchc.credentials import generated_secret

    if not data_dir:
        os.environ.setdefault("CCHC_APPLICANT_KEY", generated_secret("sample-applicant.key"))


def cmd_verify(args: argparse.Namespace) -> int:
    """Exit 0: the edition's figures rebuild as published; 1: they differ; 2: cannot verify."""
    from cchc_app.verify import CannotVerify, describe, verify_edition

    _sample_applicant_key(args.data_dir or os.environ.get("CCHC_DATA_DIR"))
    try:
        settings.applicant_key()
        _prepare_warehouse()
        # The administrator: the rebuild creates (and drops) a scratch database.
        result = verify_edition(settings.warehouse_dsn(), args.verify, log=_say)
    except (CannotVerify, settings.MissingApplicantKey) as cannot:
        print(f"Không kiểm tra được lần phát hành {args.verify}: {cannot}", file=sys.stderr)
        return 2
    print(describe(result))
    return 0 if result.matches else 1


def _marts_holder() -> str:
    import socket

    return f"cchc report/{socket.gethostname()}/{os.getpid()}"


def cmd_report(args: argparse.Namespace) -> int:
    if args.verify is not None:
        return cmd_verify(args)
    from cchc.marts_lock import claim, release
    from expectations.gate import GateClosed, assert_open
    from reports.build import build_annual_report, build_period_report
    from reports.organisation import OrganisationError, load_organisation
    from reports.periods import parse_period

    try:
        period = parse_period(args.period) if args.period else None
        organisation = load_organisation(args.data_dir or settings.data_dir())
    except (ValueError, OrganisationError) as invalid:
        print(invalid, file=sys.stderr)
        return 2
    year = period.year if period else args.year
    _prepare_warehouse()
    try:
        # A period's figures come from the year's marts: the year's gate decides for it.
        decision = assert_open(settings.warehouse_dsn("checks"), year)
    except GateClosed as closed:
        print(closed, file=sys.stderr)
        return 2
    out = Path(args.out) if args.out else settings.reports_dir() / (
        period.code if period else str(year))
    report_dsn = settings.warehouse_dsn("report")
    # The marts lease, as a reader: a DAG build waits until the report has read the marts,
    # and the edition records the build it read (cchc.marts_lock). This process's end frees
    # the lease at once, however it ends.
    holder = _marts_holder()
    claim(report_dsn, holder, pid=os.getpid(), log=_say, builds=False)
    try:
        if period:
            files = build_period_report(report_dsn, period, out, organisation=organisation)
            print(files.xlsx)
            print(files.pdf)
            return 0
        files = build_annual_report(report_dsn, year, out, quality=decision,
                                    organisation=organisation)
    finally:
        release(report_dsn, holder)
    print(files.pdf)
    print(files.xlsx)
    print(files.html)
    return 0


def cmd_user(args: argparse.Namespace) -> int:
    from cchc import users, warehouse

    _prepare_warehouse()
    admin = settings.warehouse_dsn()
    try:
        if args.action == "add":
            password = users.add_user(admin, args.name, args.role)
            target = warehouse.server_of(admin)
            _say(f"login {args.name} (role {args.role}) created on {target}. Its password is "
                 "shown only now; hand it over privately:")
            print(password)
        elif args.action == "remove":
            users.remove_user(admin, args.name)
            _say(f"login {args.name} removed")
        else:
            for login in users.list_users(admin):
                print(f"{login.name}\t{login.role}")
    except users.UserError as error:
        print(error, file=sys.stderr)
        return 2
    return 0


def cmd_airflow(args: argparse.Namespace) -> int:
    from cchc_app import airflow_runner

    _prepare_warehouse()
    return airflow_runner.standalone()


def cmd_web(args: argparse.Namespace) -> int:
    from waitress import serve

    from web.app import create_app

    if args.warehouse:
        server = args.warehouse
    else:
        _prepare_warehouse()
        server = settings.warehouse_dsn()
    # Only where the warehouse is (create_app drops any user and password): each person
    # signs in with their own login.
    app = create_app(server, secure_cookies=args.secure_cookies)
    _say(f"web app on http://{args.host}:{args.port}/ (sign in with a `cchc user add` login)")
    serve(app, host=args.host, port=args.port, threads=8)
    return 0


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
    which = report.add_mutually_exclusive_group(required=True)
    which.add_argument("--year", type=int, help="the annual index report of a year")
    which.add_argument("--period", help="the Biểu 06 report of 2025-07, 2025-Q3, 2025-H1 or 2025")
    which.add_argument("--verify", type=int, metavar="EDITION",
                       help="rebuild edition EDITION (publish.editions.edition_id) from the "
                            "deliveries it recorded in a scratch database and compare its "
                            "figures; exit 0 match, 1 differ, 2 cannot verify")
    report.add_argument("--out", help="output folder (default .local/reports/<year>)")
    report.add_argument("--data-dir", help="data directory whose reference/organisation.yml names "
                        "the publisher (default: CCHC_DATA_DIR, else the bundled sample)")
    report.set_defaults(func=cmd_report)

    sample = sub.add_parser("sample-data", help="generate the sample province")
    sample.add_argument("--out", help="output folder (default .local/sample)")
    size = sample.add_mutually_exclusive_group()
    size.add_argument("--scale", type=float, default=1.0, help="province size; 1.0 ≈ 50k cases")
    size.add_argument("--cases", type=int, metavar="N",
                      help="province size in cases a year, for N above ~5k (streams to disk"
                           " in bounded memory)")
    sample.set_defaults(func=cmd_sample_data)

    db = sub.add_parser("db", help="the embedded warehouse server")
    db.add_argument("action", choices=["start", "stop", "status", "dsn"])
    db.set_defaults(func=cmd_db)

    user = sub.add_parser("user", help="people's logins: inspectors and reporters")
    user_actions = user.add_subparsers(dest="action", required=True)
    add = user_actions.add_parser("add", help="create a login; its password is printed once")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=["inspector", "reporter"])
    user_actions.add_parser("list", help="people's logins and their roles")
    remove = user_actions.add_parser("remove", help="drop a login")
    remove.add_argument("name")
    user.set_defaults(func=cmd_user)

    airflow = sub.add_parser("airflow", help="Airflow UI for the project")
    airflow.add_argument("action", choices=["standalone"])
    airflow.set_defaults(func=cmd_airflow)

    web = sub.add_parser("web", help="the inspectors' web app (read-only, over the marts)")
    web.add_argument("--host", default=os.environ.get("CCHC_WEB_HOST", "127.0.0.1"))
    web.add_argument("--port", type=int, default=int(os.environ.get("CCHC_WEB_PORT", "8050")))
    web.add_argument("--warehouse", default=os.environ.get("CCHC_WEB_WAREHOUSE"),
                     help="where the warehouse is, without a login (e.g. 'host=db dbname=cchc');"
                          " default: the project's warehouse, bootstrapped first")
    web.add_argument("--secure-cookies", action="store_true",
                     default=os.environ.get("CCHC_WEB_SECURE_COOKIES") == "1",
                     help="mark cookies Secure (behind an HTTPS proxy)")
    web.set_defaults(func=cmd_web)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())

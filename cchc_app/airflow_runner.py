"""How we start Airflow: the command line of local runs and of the containers.

Airflow is configured only through the environment variables of
`cchc_app.airflow_config`, so the local runs (`cchc run`, `cchc airflow standalone`, the
tests) and the containers (the ENTRYPOINT of docker/Dockerfile) share one code path:

    python -m cchc_app.airflow_runner init                 bootstrap the warehouse, migrate
                                                           the metadata DB
    python -m cchc_app.airflow_runner dags-test DAG_ID [--conf JSON] [--logical-date ISO]
    python -m cchc_app.airflow_runner standalone           UI + scheduler on a free local port
    python -m cchc_app.airflow_runner serve COMPONENT ...  exec `airflow COMPONENT ...`
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

from cchc import settings
from cchc.net import free_port
from cchc_app.airflow_config import AIRFLOW_BIN, airflow_home, init, process_env
from cchc_app.bootstrap import bootstrap
from cchc_app.dag_run import run_dag


def standalone() -> int:
    """Start Airflow standalone (api-server, scheduler, dag-processor, triggerer) locally."""
    dsn = settings.warehouse_dsn()
    init(dsn)
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = {**process_env(dsn), "AIRFLOW__API__PORT": str(port), "AIRFLOW__API__BASE_URL": base_url}
    password_file = airflow_home() / "simple_auth_manager_passwords.json.generated"
    print(f"[cchc] Airflow UI: {base_url}  (user admin; password in {password_file}, "
          "written on first start)", flush=True)
    return subprocess.run([str(AIRFLOW_BIN), "standalone"], env=env, check=False).returncode


def serve(component: list[str]) -> None:
    """Replace this process by `airflow <component...>` configured like every other run."""
    env = process_env(settings.warehouse_dsn())
    os.execve(str(AIRFLOW_BIN), [str(AIRFLOW_BIN), *component], env)


def build_parser() -> argparse.ArgumentParser:
    """The command line of the module (also the containers' entrypoint)."""
    parser = argparse.ArgumentParser(prog="python -m cchc_app.airflow_runner", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("init", help="bootstrap the warehouse, migrate Airflow's DB")
    test = sub.add_parser("dags-test", help="run one DAG run in this process tree")
    test.add_argument("dag_id")
    test.add_argument("--conf", default="{}", help="DAG run conf as JSON")
    test.add_argument("--logical-date", help="ISO date or datetime")
    sub.add_parser("standalone", help="the UI and scheduler on a free local port")
    serve_cmd = sub.add_parser("serve", help="exec an Airflow component, e.g. `serve scheduler`")
    serve_cmd.add_argument("component", nargs=argparse.REMAINDER)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "init":
        dsn = settings.warehouse_dsn()
        bootstrap(dsn)
        init(dsn)
        return 0
    if args.command == "dags-test":
        return run_dag(args.dag_id, json.loads(args.conf), args.logical_date)
    if args.command == "standalone":
        return standalone()
    serve(args.component)
    return 0  # not reached: serve() replaces the process


if __name__ == "__main__":
    sys.exit(main())

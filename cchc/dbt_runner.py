"""Run dbt against the warehouse: the one place that turns a DSN into dbt's environment."""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import psycopg

from cchc.settings import DBT_PROJECT_DIR, STAGE_ROLES, applicant_key, state_dir
from cchc.warehouse import login_dsn


class DbtFailed(RuntimeError):
    """dbt exited non-zero; the message names the failing nodes."""


def _pg_option(name: str, value: str) -> str:
    """`-c name=value` for libpq's PGOPTIONS, spaces and backslashes escaped."""
    escaped = value.replace("\\", "\\\\").replace(" ", "\\ ")
    return f"-c {name}={escaped}"


def dbt_env(dsn: str) -> dict[str, str]:
    """Environment variables read by dbt/profiles.yml and the models.

    dbt always connects as the `transformer` login on `dsn`'s server and database. The
    applicant key travels as the session setting `cchc.applicant_key` in PGOPTIONS (libpq
    reads it at connect time), never as a dbt variable or env_var(): dbt would then write it
    into compiled SQL, the manifest and its logs. Without a key the models that hash fail
    with public.applicant_hash_key()'s message saying how to set it.
    """
    p = psycopg.conninfo.conninfo_to_dict(login_dsn(dsn, STAGE_ROLES["dbt"]))
    env = {
        "CCHC_PG_HOST": p.get("host") or "127.0.0.1",
        "CCHC_PG_PORT": str(p.get("port") or 5432),
        "CCHC_PG_USER": p["user"],
        "CCHC_PG_PASSWORD": p["password"],
        "CCHC_PG_DBNAME": p.get("dbname") or "cchc",
    }
    key = applicant_key(required=False)
    if key:
        env["PGOPTIONS"] = _pg_option("cchc.applicant_key", key)
    return env


#: Folders of the dbt project that dbt writes, not the project itself.
_GENERATED = frozenset({"target", "logs", "dbt_packages"})


def project_version() -> str:
    """dbt-core's version and a SHA-256 over the dbt project's files (paths and bytes):
    what a report edition records as the transformation that built its marts."""
    from importlib.metadata import version

    digest = hashlib.sha256()
    for path in sorted(p for p in DBT_PROJECT_DIR.rglob("*")
                       if p.is_file() and not _GENERATED & set(p.relative_to(DBT_PROJECT_DIR).parts)):
        digest.update(path.relative_to(DBT_PROJECT_DIR).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return f"dbt-core {version('dbt-core')}; project sha256:{digest.hexdigest()[:16]}"


def run_dbt(
    args: list[str],
    dsn: str,
    vars: dict | None = None,
    target_path: Path | str | None = None,
    quiet: bool = False,
) -> None:
    """Run `dbt <args>` in the project folder; raise DbtFailed naming failing nodes.

    `target_path` keeps concurrent runs (tests, Airflow tasks) from sharing dbt's
    partial-parse state; by default it is `<state>/dbt/target`.
    """
    target = Path(target_path) if target_path else state_dir() / "dbt" / "target"
    cmd = [
        str(Path(sys.executable).parent / "dbt"), *args,
        "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR),
        "--target-path", str(target), "--log-path", str(target.parent / "logs"),
    ]
    if vars:
        cmd += ["--vars", json.dumps(vars)]
    env = {**os.environ, **dbt_env(dsn), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    result = subprocess.run(
        cmd, check=False, env=env, cwd=DBT_PROJECT_DIR, text=True,
        stdout=subprocess.PIPE if quiet else None, stderr=subprocess.STDOUT if quiet else None,
    )
    if result.returncode != 0:
        raise DbtFailed(f"dbt {' '.join(args)} failed: {_failed_nodes(target) or 'see output'}"
                        + (f"\n{result.stdout[-4000:]}" if quiet and result.stdout else ""))


#: The production `dbt build`'s flags: every seed, model and data test, no unit test. Unit
#: tests check the models' SQL against fixed inputs, not the day's data: they give the same
#: answer every run (51 s of a daily build at 1 M cases), so they run in the test suite
#: (tests/dbt, tests/dbt_index build with plain `build`), not in the pipeline. The DAGs'
#: dbt task passes the same flags to Cosmos's build (dags/_common/dbt.py).
PRODUCTION_BUILD_FLAGS = ("--exclude-resource-type", "unit_test")


def build_args(full_refresh: bool = False, extra: tuple[str, ...] | list[str] = ()) -> list[str]:
    """The production dbt command line (after `dbt`): what the pipeline, the scheduled
    build and the bench all run, so that what is measured is what runs."""
    return ["build", *PRODUCTION_BUILD_FLAGS, *(["--full-refresh"] if full_refresh else []), *extra]


def build_warehouse(
    dsn: str,
    report_year: int,
    cutoff_date: str | None = None,
    *,
    full_refresh: bool = False,
    target_path: Path | str | None = None,
    quiet: bool = False,
) -> None:
    """The production build of the warehouse for `report_year`, open cases judged at
    `cutoff_date` (ISO date; default 31 December of the year, dbt's var default).
    Incremental unless `full_refresh`: a daily run recomputes the changed cases only."""
    vars: dict = {"report_year": int(report_year)}
    if cutoff_date:
        vars["cutoff_date"] = str(cutoff_date)
    run_dbt(build_args(full_refresh), dsn, vars, target_path=target_path, quiet=quiet)


def _failed_nodes(target: Path) -> str:
    results = target / "run_results.json"
    if not results.exists():
        return ""
    data = json.loads(results.read_text(encoding="utf-8"))
    failed = [
        f"{r['unique_id']} ({r['status']}): {(r.get('message') or '').strip()[:300]}"
        for r in data.get("results", [])
        if r.get("status") in {"error", "fail", "runtime error"}
    ]
    return "; ".join(failed)

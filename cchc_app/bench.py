"""`make bench`: a generated province of N cases a year through ingest, dbt and the report.

    make bench BENCH_CASES=1000000
    .venv/bin/python -m cchc_app.bench --cases 300 --out .local/bench/smoke.json

Appends one object to `--out` (default benchmarks/results.json), in the shape of issue 12:
`{"cases", "machine", "ingest": {"rows", "seconds", "rows_per_s", "copy_rows_per_s",
"to_sql_rows_per_s", "ratio_to_copy", "ratio_to_to_sql", "peak_rss_mb"}, "dbt_full":
{"seconds", "peak_rss_mb"}, "dbt_daily": {"seconds"}, "report": {"seconds",
"peak_rss_mb"}}`, plus context (load average, per-kind rows, the slowest models).

The province (one year, `YEAR`) is generated once per size and generator version and kept
in `BENCH_CACHE` (default `.local/bench/cache`). Each run works on a fresh database of the
warehouse's server and on a data directory of links into the cached files, holding the
last delivery day's CSV files back: they are the "daily" run's deliveries.

Every step runs in a child process of its own (`python -m cchc_app.bench --step …`), so its
peak RSS is its own: the largest resident set of the step's process and of any process it
waited for (getrusage RUSAGE_SELF and RUSAGE_CHILDREN). The PostgreSQL server's memory
is not a step's, nor is the API emulator's (it stands for the vendors' servers).
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from cchc.net import free_port
from cchc.settings import PROJECT_ROOT, state_dir

YEAR = 2025
#: Rows of the pandas `to_sql` comparison: the first CSV files' rows up to this many
#: (row-by-row INSERTs of a whole 1 M-case province would take hours for one number).
TO_SQL_SAMPLE_ROWS = 50_000
_DAY = re.compile(r"^(?:hoso|sukien)_(\d{8})\.csv(?:\.ok)?$")
_PG_ENCODINGS = {"utf-8-sig": "UTF8", "utf-8": "UTF8", "cp1258": "WIN1258"}


def _say(message: str) -> None:
    print(f"[bench] {message}", flush=True)


# --- the province, generated once per size ----------------------------------------------

def cached_sample(cases: int, cache: Path) -> Path:
    """The folder holding a generated province of `cases` a year (data/, api/, sample.json),
    generating it when the cache has none of this size and generator version."""
    from sampledata.generate import GENERATOR_VERSION, generate

    folder = cache / f"cases-{cases}-v{GENERATOR_VERSION}"
    if (folder / "sample.json").exists():
        _say(f"reusing the generated province in {folder}")
        return folder
    _say(f"generating a province of {cases} cases in {folder} …")
    started = time.monotonic()
    info = generate(folder, years=(YEAR,), cases_per_year=cases)
    # Written last: a generation cut short leaves no marker and is redone.
    (folder / "sample.json").write_text(json.dumps({
        "cases": cases, "years": [YEAR], "generator_version": GENERATOR_VERSION,
        "accepted_cases": info.accepted_cases, "counts": info.counts,
        "api_feeds": info.api_feeds, "seconds": round(time.monotonic() - started, 1),
    }, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return folder


def _delivery_day(name: str) -> date | None:
    match = _DAY.match(name)
    return date.fromisoformat(f"{match[1][:4]}-{match[1][4:6]}-{match[1][6:]}") if match else None


def _last_csv_day(landing: Path) -> date:
    days = [d for path in landing.glob("*/*.csv") if (d := _delivery_day(path.name))]
    if not days:
        raise SystemExit(f"no daily CSV deliveries under {landing}")
    return max(days)


def link_data_dir(sample: Path, run_dir: Path, api_port: int, held_day: date) -> Path:
    """A data directory for this run: the reference files copied (sources.yml names this
    run's emulator port), every landed file linked except the CSV files of `held_day`."""
    from sampledata.write_reference import write_sources

    data = run_dir / "data"
    shutil.rmtree(data, ignore_errors=True)
    shutil.copytree(sample / "data" / "reference", data / "reference")
    write_sources(data / "reference", api_port)
    for path in (sample / "data" / "landing").rglob("*"):
        if path.is_file() and _delivery_day(path.name) != held_day:
            _link(path, data / path.relative_to(sample / "data"))
    return data


def release_day(sample: Path, data: Path, day: date) -> int:
    """Link the held-back files of `day`; how many there are."""
    files = [p for p in (sample / "data" / "landing").rglob("*") if _delivery_day(p.name) == day]
    for path in files:
        _link(path, data / path.relative_to(sample / "data"))
    return len(files)


def _link(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.symlink_to(source.resolve())


# --- steps, each in its own process ------------------------------------------------------

def _peak_rss_mb() -> float:
    """Largest resident set of this process and of any child it waited for (Linux: KiB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round(max(own, children) / 1024, 1)


def measured(step: str, env: dict[str, str], **params) -> dict:
    """Run `step` in a child process; its result with wall `seconds` and `peak_rss_mb`."""
    started = time.monotonic()
    child = subprocess.run(
        [sys.executable, "-m", "cchc_app.bench", "--step", step, "--params", json.dumps(params)],
        env=env, cwd=PROJECT_ROOT, text=True, stdout=subprocess.PIPE, check=False)
    seconds = time.monotonic() - started
    lines = child.stdout.strip().splitlines()
    if child.returncode != 0 or not lines:
        sys.stdout.write(child.stdout[-4000:])
        raise SystemExit(f"bench step {step} failed (exit {child.returncode})")
    result = json.loads(lines[-1])
    return {"seconds": round(seconds, 2), **result}


def _ingest_rows(dsn: str) -> dict[str, int]:
    import psycopg

    with psycopg.connect(dsn) as conn:
        return dict(conn.execute(
            "select source_kind, coalesce(sum(rows_read), 0)::bigint from raw.deliveries"
            " where source_kind <> 'reference' group by source_kind").fetchall())


def step_ingest(data_dir: str, kinds: list[str]) -> dict:
    from cchc.settings import warehouse_dsn
    from ingest.pipeline import FeedsFailed, ingest_all

    try:
        ingest_all(warehouse_dsn("ingest"), data_dir, kinds=kinds)
    except FeedsFailed as failed:  # the sample's faulty feeds are recorded, not fatal here
        print(failed, file=sys.stderr)
    return {}


def _csv_files(data_dir: str) -> list[tuple[Path, str]]:
    """(file, PostgreSQL encoding) of every CSV delivery of the csv feeds, in name order."""
    from ingest.registry import load_registry

    files = []
    for feed in load_registry(data_dir).feeds:
        if feed.kind == "csv":
            encoding = _PG_ENCODINGS[(feed.encoding or "utf-8-sig").lower()]
            files += [(p, encoding) for p in sorted((Path(data_dir) / feed.path).glob("*.csv"))]
    return files


def _header_width(path: Path) -> int:
    with path.open("rb") as handle:
        return handle.readline().count(b";") + 1


def step_copy(data_dir: str) -> dict:
    """A plain COPY of every CSV file into an unindexed table of text columns, one
    transaction per file as ingest lands them; a file COPY refuses (a sample fault) is
    left out of the rows and the time."""
    import psycopg

    from cchc.settings import warehouse_dsn

    files = _csv_files(data_dir)
    width = max(_header_width(p) for p, _ in files)
    columns = ", ".join(f"c{i} text" for i in range(width))
    rows, seconds, refused = 0, 0.0, 0
    with psycopg.connect(warehouse_dsn(), autocommit=True) as conn:
        conn.execute("drop table if exists public.bench_copy")
        conn.execute(f"create unlogged table public.bench_copy ({columns})")
        for path, encoding in files:
            target = ", ".join(f"c{i}" for i in range(_header_width(path)))
            started = time.perf_counter()
            try:
                statement = (f"copy public.bench_copy ({target}) from stdin with (format csv,"
                             f" delimiter ';', header true, encoding '{encoding}')")
                with conn.transaction(), conn.cursor() as cur:
                    with cur.copy(statement) as copy, path.open("rb") as handle:
                        while chunk := handle.read(1 << 20):
                            copy.write(chunk)
                    rows += cur.rowcount
                seconds += time.perf_counter() - started
            except psycopg.errors.DataError:
                refused += 1
        conn.execute("drop table public.bench_copy")
    return {"rows": rows, "copy_seconds": round(seconds, 2), "files": len(files),
            "files_refused": refused}


def step_to_sql(data_dir: str) -> dict:
    """pandas `to_sql` (its default: INSERTs through SQLAlchemy) of the first CSV files'
    rows, up to TO_SQL_SAMPLE_ROWS, as text columns; only the `to_sql` call is timed."""
    import pandas as pd
    import sqlalchemy

    from cchc.settings import warehouse_dsn

    frames, rows = [], 0
    for path, encoding in _csv_files(data_dir):
        py_encoding = "cp1258" if encoding == "WIN1258" else "utf-8-sig"
        frame = pd.read_csv(path, sep=";", dtype=str, encoding=py_encoding, on_bad_lines="skip")
        frame.columns = [f"c{i}" for i in range(frame.shape[1])]
        frames.append(frame)
        rows += len(frame)
        if rows >= TO_SQL_SAMPLE_ROWS:
            break
    sample = pd.concat(frames, ignore_index=True).head(TO_SQL_SAMPLE_ROWS)
    url = sqlalchemy.engine.make_url(
        "postgresql+psycopg://").set(**_sqlalchemy_parts(warehouse_dsn()))
    engine = sqlalchemy.create_engine(url)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("drop table if exists public.bench_to_sql")
        started = time.perf_counter()
        sample.to_sql("bench_to_sql", engine, schema="public", index=False)
        seconds = time.perf_counter() - started
        with engine.begin() as conn:
            conn.exec_driver_sql("drop table public.bench_to_sql")
    finally:
        engine.dispose()
    return {"rows": len(sample), "to_sql_seconds": round(seconds, 2)}


def _sqlalchemy_parts(dsn: str) -> dict:
    import psycopg

    p = psycopg.conninfo.conninfo_to_dict(dsn)
    return {"username": p.get("user"), "password": p.get("password"), "host": p.get("host"),
            "port": int(p["port"]) if p.get("port") else None, "database": p.get("dbname")}


def step_dbt(target: str, full_refresh: bool = False) -> dict:
    """The production `dbt build` (every model, seed and data test) for YEAR; the slowest
    nodes' timings."""
    from cchc.dbt_runner import build_warehouse
    from cchc.settings import warehouse_dsn

    # The production command line (cchc.dbt_runner), so that the bench times what runs.
    build_warehouse(warehouse_dsn(), YEAR, f"{YEAR}-12-31", full_refresh=full_refresh,
                    target_path=target, quiet=True)
    results = json.loads((Path(target) / "run_results.json").read_text(encoding="utf-8"))
    nodes = results["results"]
    by_type: dict[str, float] = {}
    for node in nodes:
        kind = node["unique_id"].split(".", 1)[0]
        by_type[kind] = round(by_type.get(kind, 0) + node["execution_time"], 2)
    models = sorted((r for r in nodes if r["unique_id"].startswith("model.")),
                    key=lambda r: r["execution_time"], reverse=True)
    return {"nodes": len(nodes), "seconds_by_type": by_type,
            "slowest": [{"node": r["unique_id"], "seconds": round(r["execution_time"], 2)}
                        for r in models[:8]]}


def step_checks(data_dir: str) -> dict:
    from cchc.settings import warehouse_dsn
    from expectations.gate import run_checks

    result = run_checks(warehouse_dsn("checks"), YEAR, data_dir,
                        docs_dir=Path(data_dir).parent / "data_docs")
    return {"checks": len(result.outcomes), "blocking_failures": len(result.blocking_failures)}


def step_report(data_dir: str, out: str) -> dict:
    from cchc.settings import warehouse_dsn
    from reports.build import build_annual_report
    from reports.organisation import load_organisation

    files = build_annual_report(warehouse_dsn("report"), YEAR, out,
                                organisation=load_organisation(data_dir))
    return {"files": [Path(files.html).name, Path(files.pdf).name, Path(files.xlsx).name]}


STEPS = {"ingest": step_ingest, "copy": step_copy, "to_sql": step_to_sql, "dbt": step_dbt,
         "checks": step_checks, "report": step_report}


# --- the run -----------------------------------------------------------------------------

def _machine() -> str:
    cpu = ""
    with contextlib.suppress(OSError):
        cpu = next((line.split(":", 1)[1].strip() for line in
                    Path("/proc/cpuinfo").read_text().splitlines()
                    if line.startswith("model name")), "")
    memory_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"{platform.node()}: {os.cpu_count()} cores {cpu}, {memory_gb:.0f} GB,"
            f" {platform.system()} {platform.release()}, CPython {platform.python_version()}")


def _commit() -> str | None:
    """The checked-out commit the figures are of (None outside a git clone)."""
    with contextlib.suppress(OSError, subprocess.CalledProcessError):
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT_ROOT,
                              capture_output=True, text=True, check=True).stdout.strip()
    return None


def _rate(rows: int, seconds: float) -> float:
    return round(rows / seconds, 1) if seconds > 0 else 0.0


class _Emulator:
    """The sample's API emulator in its own process (the vendors' servers, not measured)."""

    def __init__(self, api_dir: Path, port: int, env: dict[str, str]):
        self._process = subprocess.Popen(
            [sys.executable, "-m", "sampledata.api_emulator", str(api_dir), "--port", str(port),
             "--token-env-prefix", "SAMPLE_API_TOKEN_"],
            env=env, stdout=subprocess.PIPE, text=True)
        if not self._process.stdout.readline():  # its first base URL: serving
            raise SystemExit("the API emulator did not start")

    def stop(self) -> None:
        self._process.terminate()
        self._process.wait(timeout=30)


def run(cases: int, out: Path, cache: Path, work: Path | None = None,
        keep_database: bool = False) -> dict:
    """Generate or reuse the province, measure every step on a fresh database, append the
    figures to `out` and return them. `work` holds the run's data directory, dbt target
    and report (default `.local/bench/run-<cases>`); the database is dropped at the end
    unless `keep_database` (to time dbt changes on the same data)."""
    from cchc import embedded_pg, warehouse
    from cchc.credentials import generated_secret
    from cchc_app.bootstrap import bootstrap

    load_at_start = os.getloadavg()
    sample = cached_sample(cases, cache)
    info = json.loads((sample / "sample.json").read_text(encoding="utf-8"))
    run_dir = work or state_dir() / "bench" / f"run-{cases}"
    shutil.rmtree(run_dir, ignore_errors=True)
    run_dir.mkdir(parents=True)
    api_port = free_port()
    held_day = _last_csv_day(sample / "data" / "landing")
    data_dir = link_data_dir(sample, run_dir, api_port, held_day)

    admin = os.environ.get("WAREHOUSE_DSN") or embedded_pg.ensure_running().dsn("postgres")
    server = warehouse.with_dbname(admin, "postgres")
    dbname = f"cchc_bench_{cases}_{os.getpid()}"  # two runs never share a database
    warehouse.drop_database(server, dbname)
    bench_dsn = warehouse.create_database(server, dbname)
    bootstrap(bench_dsn)
    env = {**os.environ, "WAREHOUSE_DSN": bench_dsn, "CCHC_DATA_DIR": str(data_dir),
           "CCHC_APPLICANT_KEY": os.environ.get("CCHC_APPLICANT_KEY")
           or generated_secret("sample-applicant.key")}
    for token_env, token in info["api_feeds"].values():
        env[token_env] = token
    dbt_target = str(run_dir / "dbt" / "target")
    emulator = _Emulator(sample / "api", api_port, env)
    try:
        _say(f"ingest of {data_dir} (all but {held_day}) into database {dbname} …")
        ingest = measured("ingest", env, data_dir=str(data_dir), kinds=["api", "csv", "xlsx"])
        by_kind = _ingest_rows(bench_dsn)
        rows = sum(by_kind.values())
        _say(f"ingest: {rows} rows in {ingest['seconds']} s; plain COPY of the CSV files …")
        copy = measured("copy", env, data_dir=str(data_dir))
        _say(f"COPY: {copy['rows']} rows in {copy['copy_seconds']} s; pandas to_sql …")
        to_sql = measured("to_sql", env, data_dir=str(data_dir))
        _say(f"to_sql: {to_sql['rows']} rows in {to_sql['to_sql_seconds']} s; dbt build …")
        dbt_full = measured("dbt", env, target=dbt_target)
        _say(f"dbt build: {dbt_full['seconds']} s; the day {held_day} delivered …")
        released = release_day(sample, data_dir, held_day)
        daily_ingest = measured("ingest", env, data_dir=str(data_dir),
                                kinds=["api", "csv", "xlsx"])
        daily_rows = sum(_ingest_rows(bench_dsn).values()) - rows
        daily_dbt = measured("dbt", env, target=dbt_target)
        _say(f"daily: ingest {daily_ingest['seconds']} s + dbt {daily_dbt['seconds']} s;"
             " quality checks …")
        checks = measured("checks", env, data_dir=str(data_dir))
        _say(f"checks: {checks['seconds']} s; annual report …")
        report = measured("report", env, data_dir=str(data_dir), out=str(run_dir / "report"))
        _say(f"report: {report['seconds']} s")
    finally:
        emulator.stop()
        if keep_database:
            _say(f"database kept: {bench_dsn}")
        else:
            warehouse.drop_database(server, dbname)

    rows_per_s = _rate(rows, ingest["seconds"])
    copy_rate = _rate(copy["rows"], copy["copy_seconds"])
    to_sql_rate = _rate(to_sql["rows"], to_sql["to_sql_seconds"])
    figures = {
        "cases": cases,
        "commit": _commit(),
        "machine": _machine(),
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "load_average_at_start": [round(x, 2) for x in load_at_start],
        "generator_version": info.get("generator_version"),
        "accepted_cases": info["accepted_cases"],
        "ingest": {
            "rows": rows, "seconds": ingest["seconds"], "rows_per_s": rows_per_s,
            "copy_rows_per_s": copy_rate, "to_sql_rows_per_s": to_sql_rate,
            "ratio_to_copy": round(rows_per_s / copy_rate, 3) if copy_rate else None,
            "ratio_to_to_sql": round(rows_per_s / to_sql_rate, 2) if to_sql_rate else None,
            "peak_rss_mb": ingest["peak_rss_mb"],
            "rows_by_kind": by_kind,
            # Feeds load in this many processes (ingest.pipeline; unset means one).
            "workers": os.environ.get("CCHC_INGEST_WORKERS") or "1",
            "copy_rows": copy["rows"], "copy_files": copy["files"],
            "copy_files_refused": copy["files_refused"], "to_sql_sample_rows": to_sql["rows"],
        },
        "dbt_full": {"seconds": dbt_full["seconds"], "peak_rss_mb": dbt_full["peak_rss_mb"],
                     "nodes": dbt_full["nodes"], "seconds_by_type": dbt_full["seconds_by_type"],
                     "slowest": dbt_full["slowest"]},
        "dbt_daily": {"seconds": round(daily_ingest["seconds"] + daily_dbt["seconds"], 2),
                      "day": held_day.isoformat(), "files": released, "rows": daily_rows,
                      "ingest_seconds": daily_ingest["seconds"],
                      "dbt_seconds": daily_dbt["seconds"],
                      "peak_rss_mb": max(daily_ingest["peak_rss_mb"], daily_dbt["peak_rss_mb"]),
                      "slowest": daily_dbt["slowest"]},
        "checks": {"seconds": checks["seconds"], "peak_rss_mb": checks["peak_rss_mb"],
                   "blocking_failures": checks["blocking_failures"]},
        "report": {"seconds": report["seconds"], "peak_rss_mb": report["peak_rss_mb"]},
    }
    results = json.loads(out.read_text(encoding="utf-8")) if out.exists() else []
    results.append(figures)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return figures


# --- dbt alone at a larger scale: raw multiplied in SQL ----------------------------------

#: record_no offset of each copy: far above any file's or API window's record count.
_COPY_STRIDE = 10_000_000


def _raw_columns(conn, table: str) -> list[str]:
    return [r[0] for r in conn.execute(
        "select column_name from information_schema.columns where table_schema = 'raw'"
        " and table_name = %s order by ordinal_position", (table,))]


def _multiply_raw(conn, table: str, copies: int) -> None:
    """Add copies k = 1 … copies-1 of every row, case codes suffixed `~k` (units, days
    and deliveries unchanged), so the models see `copies` times the cases."""
    columns = _raw_columns(conn, table)
    exprs = [("case_code || '~' || k" if c == "case_code" else
              f"record_no + k * {_COPY_STRIDE}" if c == "record_no" else c) for c in columns]
    listed = ", ".join(columns)
    conn.execute(f"insert into raw.{table} ({listed}) select {', '.join(exprs)}"
                 f" from raw.{table} cross join generate_series(1, {copies - 1}) as k"
                 f" where record_no < {_COPY_STRIDE}")


def _daily_delivery(conn, share: float) -> int:
    """One day's delivery: a new snapshot (updated an hour later) of `share` of the cases,
    as a loaded CSV delivery; returns its rows."""
    feed, day = conn.execute(
        "select feed_unit_code, max(delivery_day) from raw.deliveries where source_kind = 'csv'"
        " and status = 'loaded' group by 1 order by 2 desc limit 1").fetchone()
    load_id = conn.execute(
        "insert into raw.deliveries (source_kind, feed_unit_code, delivery, record_kind,"
        " delivery_day, status) values ('csv', %s, 'hoso_bench_daily.csv', 'cases', %s,"
        " 'loading') returning load_id", (feed, day)).fetchone()[0]
    columns = _raw_columns(conn, "case_snapshots")
    exprs = [("%(load_id)s" if c == "load_id" else
              "row_number() over (order by case_code)" if c == "record_no" else
              "updated_at + interval '1 hour'" if c == "updated_at" else c) for c in columns]
    rows = conn.execute(
        f"insert into raw.case_snapshots ({', '.join(columns)})"
        f" select {', '.join(exprs)} from (select distinct on (case_code) *"
        "  from raw.case_snapshots where abs(hashtext(case_code)) %% 10000 < %(cut)s"
        "  order by case_code, updated_at desc) as latest",
        {"load_id": load_id, "cut": int(share * 10_000)}).rowcount
    conn.execute("update raw.deliveries set status = 'loaded', rows_read = %s,"
                 " rows_loaded = %s where load_id = %s", (rows, rows, load_id))
    return rows


def dbt_at_scale(database: str, copies: int, out: Path, daily_share: float = 0.005) -> dict:
    """On a bench database kept with its raw tables (`--keep-database`): multiply raw by
    `copies`, then time a full `dbt build` and an incremental one after a day's delivery
    touching `daily_share` of the cases. Appends the figures to `out`."""
    import psycopg

    from cchc import embedded_pg
    from cchc.credentials import generated_secret

    admin = os.environ.get("WAREHOUSE_DSN") or embedded_pg.ensure_running().dsn("postgres")
    from cchc.warehouse import with_dbname

    dsn = with_dbname(admin, database)
    env = {**os.environ, "WAREHOUSE_DSN": dsn, "CCHC_APPLICANT_KEY": os.environ.get(
        "CCHC_APPLICANT_KEY") or generated_secret("sample-applicant.key")}
    target = str(state_dir() / "bench" / f"dbt-scale-{database}" / "target")
    load_at_start = os.getloadavg()
    with psycopg.connect(dsn, autocommit=True) as conn:
        started = time.monotonic()
        for table in ("case_snapshots", "case_events"):
            _multiply_raw(conn, table, copies)
            conn.execute(f"analyze raw.{table}")
        multiply_seconds = time.monotonic() - started
        snapshots, cases = conn.execute(
            "select count(*), count(distinct case_code) from raw.case_snapshots").fetchone()
    _say(f"raw multiplied by {copies}: {cases} cases, {snapshots} snapshots; dbt build …")
    # A rebuild from scratch even where an earlier run left the incremental models.
    full = measured("dbt", env, target=target, full_refresh=True)
    _say(f"dbt build: {full['seconds']} s; a day's delivery, dbt build again …")
    with psycopg.connect(dsn, autocommit=True) as conn:
        daily_rows = _daily_delivery(conn, daily_share)
    daily = measured("dbt", env, target=target)
    _say(f"daily dbt build: {daily['seconds']} s")
    figures = {
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "machine": _machine(),
        "load_average_at_start": [round(x, 2) for x in load_at_start],
        "cases": cases, "snapshots": snapshots, "copies": copies,
        "multiply_seconds": round(multiply_seconds, 1),
        "dbt_full": {k: full[k] for k in ("seconds", "peak_rss_mb", "seconds_by_type", "slowest")},
        "dbt_daily": {"rows": daily_rows, **{k: daily[k] for k in (
            "seconds", "peak_rss_mb", "seconds_by_type", "slowest")}},
    }
    results = json.loads(out.read_text(encoding="utf-8")) if out.exists() else []
    out.write_text(json.dumps([*results, figures], indent=2, ensure_ascii=False) + "\n",
                   encoding="utf-8")
    return figures


RESULTS = PROJECT_ROOT / "benchmarks" / "results.json"
README = PROJECT_ROOT / "benchmarks" / "README.md"
_TABLE = ("<!-- results table: written by cchc_app.bench from results.json -->",
          "<!-- end of results table -->")


def results_table(results: list[dict]) -> str:
    """The committed runs as a Markdown table, one row per object of results.json."""
    lines = [("| date (UTC) | cases | ingest rows | ingest s | rows/s | ÷ COPY | ÷ to_sql"
             " | ingest MB | dbt full s | dbt MB | daily s | report s | report MB"
             " | load avg at start | machine |"),
             "|" + "---|" * 15]
    for r in results:
        i = r["ingest"]
        lines.append(
            f"| {r.get('date', '')[:16].replace('T', ' ')} | {r['cases']:,} | {i['rows']:,}"
            f" | {i['seconds']:.0f} | {i['rows_per_s']:,.0f} | {i['ratio_to_copy']:.2f}"
            f" | {i['ratio_to_to_sql']:.2f} | {i['peak_rss_mb']:.0f}"
            f" | {r['dbt_full']['seconds']:.0f} | {r['dbt_full']['peak_rss_mb']:.0f}"
            f" | {r['dbt_daily']['seconds']:.0f} | {r['report']['seconds']:.0f}"
            f" | {r['report']['peak_rss_mb']:.0f}"
            f" | {' '.join(str(x) for x in r.get('load_average_at_start', []))}"
            f" | {r['machine']} |")
    return "\n".join(lines)


def refresh_readme(results_path: Path = RESULTS, readme: Path = README) -> None:
    """Rewrite the table between the markers of benchmarks/README.md from results.json."""
    text = readme.read_text(encoding="utf-8")
    start, end = text.index(_TABLE[0]) + len(_TABLE[0]), text.index(_TABLE[1])
    table = results_table(json.loads(results_path.read_text(encoding="utf-8")))
    readme.write_text(f"{text[:start]}\n{table}\n{text[end:]}", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cchc_app.bench", description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=int(os.environ.get("BENCH_CASES", "1000000")))
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--cache", type=Path, default=Path(
        os.environ.get("BENCH_CACHE", state_dir() / "bench" / "cache")))
    parser.add_argument("--generate-only", action="store_true",
                        help="generate (or find) the cached province and stop")
    parser.add_argument("--keep-database", action="store_true",
                        help="leave the run's database on the server (dropped by default)")
    parser.add_argument("--dbt-scale", nargs=2, metavar=("DATABASE", "COPIES"),
                        help="time dbt alone on a kept bench database, raw multiplied")
    parser.add_argument("--step", choices=sorted(STEPS), help=argparse.SUPPRESS)
    parser.add_argument("--params", default="{}", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.step:  # a child: one step, its result and peak RSS as the last line
        result = STEPS[args.step](**json.loads(args.params))
        print(json.dumps({**result, "peak_rss_mb": _peak_rss_mb()}))
        return 0
    if args.dbt_scale:
        figures = dbt_at_scale(args.dbt_scale[0], int(args.dbt_scale[1]),
                               PROJECT_ROOT / "benchmarks" / "dbt_scale.json")
        print(json.dumps(figures, indent=2, ensure_ascii=False))
        return 0
    if args.generate_only:
        print(cached_sample(args.cases, args.cache))
        return 0
    figures = run(args.cases, args.out, args.cache, keep_database=args.keep_database)
    print(json.dumps(figures, indent=2, ensure_ascii=False))
    if args.out.resolve() == RESULTS.resolve():
        refresh_readme()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

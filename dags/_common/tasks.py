"""Tasks shared by the stage DAGs and the annual pipeline.

Each task is one idempotent step calling a pipeline package; the packages are imported
inside the callables (see the package docstring). Failures raise with the unit, the
delivery and the reason, so the task log alone says what to fix.
"""
from __future__ import annotations

import logging
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pendulum
from airflow.sdk import get_current_context, task
from airflow.sdk.exceptions import AirflowFailException

from _common.assets import MARTS, QUALITY_RESULTS, RAW_CASES
from _common.defaults import LOCAL_TZ

log = logging.getLogger(__name__)
#: Lines for the person following a run: `cchc_app.dag_run.run_dag` prints this logger's.
progress = logging.getLogger("cchc.progress")

#: Statuses of deliveries that arrived but did not load; see sources.md §3.
_INCOMPLETE = "not_loaded"
_REJECTED = "rejected"


def _dsn(stage: str) -> str:
    """The warehouse as `stage`'s own login (cchc.settings.STAGE_ROLES)."""
    from cchc.settings import warehouse_dsn

    return warehouse_dsn(stage)


def _on_database(work, what: str):
    """`work()`, redone while the database restarts or the connection drops (bounded; see
    cchc.transient). Every step below is idempotent, so redoing one is safe."""
    from cchc.transient import retry_transient

    return retry_transient(work, what)


def interval_days(start: pendulum.DateTime, end: pendulum.DateTime) -> tuple[date, date]:
    """The local days of the data interval [start, end), as inclusive bounds."""
    first = pendulum.instance(start).in_tz(LOCAL_TZ).date()
    last = (pendulum.instance(end).in_tz(LOCAL_TZ) - timedelta(microseconds=1)).date()
    return first, max(first, last)


def _ingest(data_dir: str, unit_code: str, day_from: date | None = None,
            day_to: date | None = None) -> list:
    from ingest.pipeline import ingest_feed

    outcomes = _on_database(
        lambda: ingest_feed(_dsn("ingest"), data_dir, unit_code, day_from=day_from,
                            day_to=day_to),
        f"ingest of unit {unit_code}")
    for outcome in outcomes:
        log.info("%s", outcome.summary())
    statuses = Counter(outcome.status for outcome in outcomes)
    progress.info("Unit %s: %d deliveries processed %s", unit_code, len(outcomes),
                  dict(sorted(statuses.items())))
    return outcomes


@task
def load_reference(data_dir: str) -> str:
    """Reference files (units, procedures, calendar, sources, appraisal) into raw.ref_*."""
    from ingest.pipeline import load_reference as load
    from ingest.problems import IngestError
    from reports.organisation import OrganisationError, load_organisation

    try:
        load_organisation(data_dir)  # validated now, not after the whole run at the report
        outcome = _on_database(lambda: load(_dsn("ingest"), data_dir), "reference data")
    except (IngestError, OrganisationError) as invalid:
        # Retrying cannot fix a file; nothing downstream may run on a half-valid reference.
        raise AirflowFailException(
            f"{invalid}\nFix these files in {data_dir}/reference, then rerun.") from None
    progress.info("Reference data: %s", outcome.summary())
    return outcome.summary()


@task(outlets=[RAW_CASES])
def ingest_interval(unit_code: str, data_dir: str) -> list[str]:
    """The feed's deliveries for the run's data interval; rerunning the interval is a no-op.

    An incomplete file (no `.ok`, wrong count) fails the try so that a retry picks it up
    once the source finishes writing it; a rejected file fails without retrying, since
    only a new delivery from the unit can fix it.
    """
    from ingest.pipeline import unsettled_deliveries

    context = get_current_context()
    day_from, day_to = interval_days(context["data_interval_start"], context["data_interval_end"])
    log.info("Unit %s: ingesting deliveries covering %s … %s", unit_code, day_from, day_to)
    outcomes = _ingest(data_dir, unit_code, day_from, day_to)
    unsettled = _on_database(
        lambda: unsettled_deliveries(_dsn("ingest"), unit_code, day_from, day_to),
        f"deliveries of unit {unit_code}")
    if _REJECTED in unsettled:
        raise AirflowFailException(
            f"Unit {unit_code}, days {day_from}…{day_to}: deliveries rejected; ask the unit to "
            "send them again (the other deliveries are loaded):\n" + "\n".join(unsettled[_REJECTED]))
    if _INCOMPLETE in unsettled:
        raise RuntimeError(
            f"Unit {unit_code}, days {day_from}…{day_to}: deliveries incomplete (missing `.ok` or "
            "row count differs); retrying in case the source is still writing:\n"
            + "\n".join(unsettled[_INCOMPLETE]))
    return [o.summary() for o in outcomes]


@task
def list_feeds(data_dir: str) -> list[str]:
    """Unit codes of the feeds in sources.yml, validated, read when the run starts."""
    from ingest.registry import load_registry

    return [feed.unit_code for feed in load_registry(data_dir).feeds]


# One at a time: on the Department's two-core server parallel loads only contend for the
# same raw tables. Delivery problems are recorded, not raised, so this task fails only when
# the run itself broke — e.g. a database restart hitting Airflow's own bookkeeping, which
# cchc.transient cannot redo: one quick retry recovers that, even in the interactive run.
@task(max_active_tis_per_dagrun=1, map_index_template="{{ task.op_kwargs['unit_code'] }}",
      retries=1, retry_delay=timedelta(seconds=15))
def ingest_feed(unit_code: str, data_dir: str) -> list[str]:
    """Every delivery of one feed. Delivery problems are recorded, not raised: the gate judges
    completeness for the report year."""
    return [o.summary() for o in _ingest(data_dir, unit_code)]


@task
def invalid_feed(problems: list[str]) -> None:
    """The only task of a feed whose sources.yml entry is invalid: says what to fix."""
    raise AirflowFailException(
        "This feed's entry in sources.yml is invalid; fix it and the DAG becomes the feed's "
        "ingest:\n" + "\n".join(problems))


@task
def report_year(year: int | None, previous: bool = False) -> int:
    """The `year` param, else the local year of the run (the year before, if `previous`).

    Its result (XCom of task `report_year`) is the dbt var `report_year` of `_common.dbt.dbt_build`.
    """
    if year:
        return int(year)
    context = get_current_context()
    when = context.get("logical_date") or context["dag_run"].run_after
    local_year = pendulum.instance(when).in_tz(LOCAL_TZ).year
    return local_year - 1 if previous else local_year


def run_cutoff(year: int, cutoff: str | None, run_day: date) -> date:
    """The data cut-off of a build: `cutoff` if given, else 31 December of `year` or the
    run's day, whichever is earlier (a build in June judges open cases in June, not at a
    December that has not come)."""
    if cutoff:
        return date.fromisoformat(str(cutoff))
    return min(date(int(year), 12, 31), run_day)


@task
def cutoff_date(year: int, cutoff: str | None) -> str:
    """The build's cut-off (ISO date, `run_cutoff`); its XCom is the dbt var `cutoff_date`."""
    context = get_current_context()
    when = context.get("logical_date") or context["dag_run"].run_after
    return run_cutoff(year, cutoff, pendulum.instance(when).in_tz(LOCAL_TZ).date()).isoformat()


def _build_id() -> str:
    context = get_current_context()
    return f"{context['dag'].dag_id}/{context['run_id']}"


@task
def claim_marts() -> str:
    """Waits until no other run builds the marts, then holds them for this run until
    `release_marts` (cchc.marts_lock): one writer of the marts at a time, and the report
    reads the build of its own run."""
    from cchc.marts_lock import claim

    holder = _build_id()
    # Within the task's one-hour execution_timeout: a build never takes that long.
    _on_database(lambda: claim(_dsn("dbt"), holder, wait=timedelta(minutes=55),
                               log=progress.info),
                 "marts lease")
    return holder


@task
def release_marts() -> None:
    """Gives the marts back; the teardown of `claim_marts`, so it runs however the build
    ended and never decides the run's state."""
    from cchc.marts_lock import release

    holder = _build_id()
    if not _on_database(lambda: release(_dsn("dbt"), holder), "marts lease"):
        log.warning("marts lease of %s was already taken over", holder)


@task(outlets=[MARTS])
def marts_built(year: int, cutoff: str) -> int:
    """Marks the marts as rebuilt for `year` at `cutoff`, which schedules the quality gate."""
    get_current_context()["outlet_events"][MARTS].extra = {"report_year": year,
                                                           "cutoff_date": cutoff}
    return year


def scope_of_marts_build(events) -> dict:
    """{"year", "cutoff_date"} of the newest marts build among triggering asset `events`
    (their `extra`, set by `marts_built`)."""
    built = [e for e in events if (e.extra or {}).get("report_year")]
    if not built:
        raise AirflowFailException(
            "No report year: the run was not triggered by a marts build. Trigger it with "
            '{"year": 2025} (the year the marts were built for).')
    newest = max(built, key=lambda e: e.timestamp)
    year = int(newest.extra["report_year"])
    cutoff = newest.extra.get("cutoff_date") or date(year, 12, 31).isoformat()
    return {"year": year, "cutoff_date": cutoff}


@task(multiple_outputs=True)
def gate_scope(year: int | None) -> dict:
    """What the gate judges: the `year` param (cut-off 31 December), else the report year
    and cut-off of the marts build that triggered the run, never the current date."""
    if year:
        return {"year": int(year), "cutoff_date": date(int(year), 12, 31).isoformat()}
    triggering = get_current_context().get("triggering_asset_events") or {}
    return scope_of_marts_build(triggering.get(MARTS, []))


@task(outlets=[QUALITY_RESULTS])
def run_quality_checks(year: int, data_dir: str, cutoff: str | None = None) -> str:
    """Every suite and the completeness matrix for `year` into quality.check_results; the run
    id. The matrix judges the months ended by `cutoff` (default 31 December)."""
    from expectations.gate import run_checks

    result = _on_database(
        lambda: run_checks(_dsn("checks"), int(year), data_dir,
                           cutoff_date=date.fromisoformat(str(cutoff)) if cutoff else None),
        "quality checks")
    progress.info("Quality run for %s: %d checks, %d blocking failures; data docs %s", year,
                  len(result.outcomes), len(result.blocking_failures), result.data_docs)
    return result.run_id


@task
def gate(year: int) -> str:
    """Stops the run when a blocking check failed and is not waived."""
    from expectations.gate import GateClosed, assert_open

    try:
        decision = _on_database(lambda: assert_open(_dsn("checks"), int(year)), "quality gate")
    except GateClosed as closed:
        raise AirflowFailException(
            f"Quality gate closed for {year}; the report is not published. Fix the data or record "
            f"a waiver in quality.waivers, then rerun:\n{closed}") from None
    verdict = (f"gate open for {year}: {len(decision.waived)} failures waived, "
               f"{len(decision.warnings)} warnings")
    progress.info("%s", verdict)
    return verdict


@task
def build_report(year: int, out_dir: str | None, data_dir: str) -> list[str]:
    """The annual report (HTML, PDF, XLSX); returns their paths (the task's XCom, which
    `cchc run` reads back).

    Runs after `gate`; the report's quality annex is the latest quality run, the one the
    gate judged. The publisher comes from `<data_dir>/reference/organisation.yml`.
    """
    from cchc.settings import reports_dir
    from reports.build import build_annual_report
    from reports.organisation import load_organisation

    out = Path(out_dir) if out_dir else reports_dir() / str(year)
    files = _on_database(
        lambda: build_annual_report(_dsn("report"), int(year), out,
                                    organisation=load_organisation(data_dir)),
        "annual report")
    paths = [str(files.html), str(files.pdf), str(files.xlsx)]
    for path in paths:
        progress.info("Report file: %s", path)
    return paths

"""The annual reform-index report, on 15 January for the year before (or any `year`).

Rebuilds the marts for that year, runs the quality checks, stops at a closed gate, and
writes the report (HTML, PDF, XLSX) to `out_dir` (default `<reports>/<year>`). Past years:
trigger with `{"year": 2024}`, or see docs/operations.md for `airflow backfill create`.
"""
from _common.dbt import dbt_build
from _common.defaults import LOCAL_TZ, SCHEDULED_DEFAULT_ARGS, START_DATE
from _common.feeds import data_dir
from _common.tasks import (
    build_report,
    claim_marts,
    gate,
    release_marts,
    report_year,
    run_quality_checks,
)
from airflow.sdk import DAG, CronTriggerTimetable, Param

with DAG(
    dag_id="publish__annual_report",
    doc_md=__doc__,
    schedule=CronTriggerTimetable("0 6 15 1 *", timezone=LOCAL_TZ),
    start_date=START_DATE,
    default_args=SCHEDULED_DEFAULT_ARGS,
    max_active_runs=1,
    render_template_as_native_obj=True,
    params={
        "year": Param(None, type=["null", "integer"],
                      description="report year (default: the year before the run's date)"),
        "cutoff_date": Param(None, type=["null", "string"], format="date"),
        "out_dir": Param(None, type=["null", "string"], description="report folder"),
    },
    tags=["publish"],
):
    year = report_year(year="{{ params.year }}", previous=True)
    checks = run_quality_checks(year, data_dir=str(data_dir()), cutoff="{{ params.cutoff_date }}")
    # The marts are this run's from the first model to the report (cchc.marts_lock).
    claim = claim_marts()
    report = build_report(year, "{{ params.out_dir }}", str(data_dir()))
    year >> claim >> dbt_build("publish__annual_report") >> checks >> gate(year) >> report
    report >> release_marts().as_teardown(setups=claim)

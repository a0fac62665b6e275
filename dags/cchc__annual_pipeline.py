"""The whole year in one run, what `make run` drives: reference data → every feed →
dbt build → quality checks → gate → annual report.

Params: `data_dir` (a data directory as in sources.md §1b), `year` (default: last year),
`out_dir` (default `<reports>/<year>`) and `cutoff_date`. The report's file paths are the
XCom of `build_report`, which `cchc run` reads back. API feeds are read from their
`base_url`: for the bundled sample, `cchc run` serves them from the emulator around the run.
"""
from _common.dbt import dbt_build
from _common.defaults import INTERACTIVE_DEFAULT_ARGS, START_DATE
from _common.feeds import data_dir
from _common.tasks import (
    build_report,
    claim_marts,
    gate,
    ingest_feed,
    list_feeds,
    load_reference,
    release_marts,
    report_year,
    run_quality_checks,
)
from airflow.sdk import DAG, Param

with DAG(
    dag_id="cchc__annual_pipeline",
    doc_md=__doc__,
    schedule=None,
    start_date=START_DATE,
    default_args=INTERACTIVE_DEFAULT_ARGS,
    render_template_as_native_obj=True,
    params={
        "data_dir": Param(str(data_dir()), type="string"),
        "year": Param(None, type=["null", "integer"]),
        "out_dir": Param(None, type=["null", "string"]),
        "cutoff_date": Param(None, type=["null", "string"], format="date"),
    },
    tags=["pipeline"],
):
    year = report_year(year="{{ params.year }}", previous=True)
    feeds = list_feeds("{{ params.data_dir }}")
    ingested = ingest_feed.partial(data_dir="{{ params.data_dir }}").expand(unit_code=feeds)
    checks = run_quality_checks(year, "{{ params.data_dir }}", cutoff="{{ params.cutoff_date }}")
    load_reference("{{ params.data_dir }}") >> feeds
    # The marts are this run's from the first model to the report (cchc.marts_lock).
    claim = claim_marts()
    report = build_report(year, "{{ params.out_dir }}", "{{ params.data_dir }}")
    ingested >> year >> claim >> dbt_build("cchc__annual_pipeline") >> checks >> gate(year) >> report
    report >> release_marts().as_teardown(setups=claim)

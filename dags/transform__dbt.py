"""dbt build of staging → intermediate → marts, whenever raw cases or reference data change.

One `dbt build` task (dags/_common/dbt.py): its failure names the failing models and
dbt's message. Params: `report_year` (default: the current local year) and `cutoff_date`
(default: 31 December of that year, or the run's day if earlier). Success updates the
marts asset with the year and cut-off it was built for, which schedules `quality__gate`
for them.
"""
from _common.assets import RAW_CASES, RAW_REFERENCE
from _common.dbt import dbt_build
from _common.defaults import SCHEDULED_DEFAULT_ARGS, START_DATE
from _common.tasks import claim_marts, cutoff_date, marts_built, release_marts, report_year
from airflow.sdk import DAG, Param

with DAG(
    dag_id="transform__dbt",
    doc_md=__doc__,
    schedule=RAW_CASES | RAW_REFERENCE,
    start_date=START_DATE,
    default_args=SCHEDULED_DEFAULT_ARGS,
    max_active_runs=1,
    render_template_as_native_obj=True,
    params={
        "report_year": Param(None, type=["null", "integer"], description="report year"),
        "cutoff_date": Param(None, type=["null", "string"], format="date",
                             description="day open cases are judged at"),
    },
    tags=["transform", "dbt"],
):
    year = report_year(year="{{ params.report_year }}")
    cutoff = cutoff_date(year, "{{ params.cutoff_date }}")
    # One writer of the marts at a time, whichever DAG builds (cchc.marts_lock).
    claim = claim_marts()
    built = marts_built(year, cutoff)
    cutoff >> claim >> dbt_build("transform__dbt") >> built
    built >> release_marts().as_teardown(setups=claim)

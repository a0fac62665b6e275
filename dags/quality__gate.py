"""Quality checks (expectation suites, completeness matrix) after every marts build.

Writes `quality.check_results` for the report year and cut-off of the marts build that
triggered the run (its asset event's extra), or for the `year` param (cut-off 31
December); the completeness matrix judges the months ended by the cut-off. Then the gate
fails the run if a blocking check failed and is not waived.
"""
from _common.assets import MARTS
from _common.defaults import SCHEDULED_DEFAULT_ARGS, START_DATE
from _common.feeds import data_dir
from _common.tasks import gate, gate_scope, run_quality_checks
from airflow.sdk import DAG, Param

with DAG(
    dag_id="quality__gate",
    doc_md=__doc__,
    schedule=[MARTS],
    start_date=START_DATE,
    default_args=SCHEDULED_DEFAULT_ARGS,
    max_active_runs=1,
    render_template_as_native_obj=True,
    params={"year": Param(None, type=["null", "integer"], description="report year")},
    tags=["quality"],
):
    scope = gate_scope(year="{{ params.year }}")
    checks = run_quality_checks(scope["year"], data_dir=str(data_dir()),
                                cutoff=scope["cutoff_date"])
    checks >> gate(scope["year"])

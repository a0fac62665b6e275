"""The dbt build as ONE Airflow task: a single `dbt build` of the whole project.

Not one task per model (Cosmos's DbtTaskGroup, which this replaced): every task paid
dbt's start-up (project load, adapter, manifest, run results) for seconds of model work,
so the ~70 tasks cost several times the whole build (docs/decisions.md, "One dbt task").
A failed model is still named in the task's failure: Cosmos raises with each failing
node and dbt's message, and the task log holds dbt's own output.
"""
from __future__ import annotations

from cosmos import InvocationMode, ProfileConfig
from cosmos import settings as cosmos_settings
from cosmos.operators.local import DbtBuildLocalOperator

from cchc.dbt_runner import PRODUCTION_BUILD_FLAGS
from cchc.settings import DBT_PROJECT_DIR

#: Rendered when the task runs; needs a DAG with `render_template_as_native_obj=True`
#: (a year stays an int) and an upstream task `report_year`. The cut-off is the upstream
#: task `cutoff_date`'s where the DAG has one (the scheduled build), else the param.
_DBT_VARS = {
    "report_year": "{{ ti.xcom_pull(task_ids='report_year') }}",
    "cutoff_date": "{{ ti.xcom_pull(task_ids='cutoff_date') if 'cutoff_date' in dag.task_ids"
                   " else params.get('cutoff_date') }}",
}


def dbt_build(dag_id: str, task_id: str = "dbt_build") -> DbtBuildLocalOperator:
    """Task building every seed, model and data test for the run's report year (and
    cut-off): the production build of `cchc.dbt_runner`, unit tests left to the suite.

    `dag_id` names the DAG's own partial-parse cache (under AIRFLOW__COSMOS__CACHE_DIR):
    Cosmos runs dbt in a fresh copy of the project each time, and without the cache every
    run would parse the whole project again.
    """
    return DbtBuildLocalOperator(
        task_id=task_id,
        project_dir=str(DBT_PROJECT_DIR),
        profile_config=ProfileConfig(
            profile_name="cchc",
            target_name="warehouse",
            profiles_yml_filepath=DBT_PROJECT_DIR / "profiles.yml",
        ),
        # In-process dbt: no second interpreter to start on a two-core server.
        invocation_mode=InvocationMode.DBT_RUNNER,
        install_deps=False,
        vars=_DBT_VARS,
        dbt_cmd_flags=list(PRODUCTION_BUILD_FLAGS),
        cache_dir=cosmos_settings.cache_dir / dag_id / task_id,
        # Our own MARTS asset marks the build; per-model assets would only add noise.
        emit_datasets=False,
        # The compiled SQL of all ~260 nodes (~1.6 MB) would go into Airflow's metadata DB
        # as a rendered field at every run; dbt's output in the task log names what failed.
        should_store_compiled_sql=False,
    )

"""The dbt build as a Cosmos task group: one task per model (run + its tests), so a failed
model is visible by name in the grid and its log holds dbt's message."""
from __future__ import annotations

from cosmos import (
    DbtTaskGroup,
    ExecutionConfig,
    ExecutionMode,
    InvocationMode,
    LoadMode,
    ProfileConfig,
    ProjectConfig,
    RenderConfig,
    TestBehavior,
    TestIndirectSelection,
)

from cchc.dbt_runner import dbt_manifest_path
from cchc.settings import DBT_PROJECT_DIR

#: Rendered when each dbt task runs; needs a DAG with `render_template_as_native_obj=True`
#: (a year stays an int) and an upstream task `report_year`. The cut-off is the upstream
#: task `cutoff_date`'s where the DAG has one (the scheduled build), else the param.
_DBT_VARS = {
    "report_year": "{{ ti.xcom_pull(task_ids='report_year') }}",
    "cutoff_date": "{{ ti.xcom_pull(task_ids='cutoff_date') if 'cutoff_date' in dag.task_ids"
                   " else params.get('cutoff_date') }}",
}


def dbt_build_group(group_id: str = "dbt_build") -> DbtTaskGroup:
    """Task group building every model, seed and test for the run's report year.

    The graph comes from the manifest `cchc_app.airflow_config.precompile_dbt` writes, so parsing the DAG
    never runs dbt; without it (a fresh checkout) Cosmos falls back to `dbt ls`.
    """
    manifest = dbt_manifest_path()
    have_manifest = manifest.is_file()
    return DbtTaskGroup(
        group_id=group_id,
        project_config=ProjectConfig(
            dbt_project_path=DBT_PROJECT_DIR,
            manifest_path=manifest if have_manifest else None,
            install_dbt_deps=False,
        ),
        profile_config=ProfileConfig(
            profile_name="cchc",
            target_name="warehouse",
            profiles_yml_filepath=DBT_PROJECT_DIR / "profiles.yml",
        ),
        execution_config=ExecutionConfig(
            execution_mode=ExecutionMode.LOCAL,
            # In-process dbt: no new interpreter per model on a two-core server.
            invocation_mode=InvocationMode.DBT_RUNNER,
            # A model's task runs only the tests of that model; a test spanning two models
            # (relationships) runs in its own task after both (detached below).
            test_indirect_selection=TestIndirectSelection.CAUTIOUS,
        ),
        render_config=RenderConfig(
            load_method=LoadMode.DBT_MANIFEST if have_manifest else LoadMode.DBT_LS,
            test_behavior=TestBehavior.BUILD,
            should_detach_multiple_parents_tests=True,
            # Our own MARTS asset marks the build; per-model assets would only add noise.
            emit_datasets=False,
        ),
        operator_args={"vars": _DBT_VARS, "install_deps": False},
    )

"""Every DAG file parses, and the DAGs have the shape operations rely on."""
from __future__ import annotations

import itertools
from datetime import timedelta
from pathlib import Path

import pendulum
import pytest
from dateutil.relativedelta import relativedelta

from cchc.dbt_runner import build_args
from cchc.settings import LOCAL_TZ
from tests.dags.conftest import DAGS_FOLDER

SMALL_SOURCES = """\
sources:
  - unit_code: H99.S01
    kind: api
    base_url: http://127.0.0.1:18080/H99.S01
    token_env: TOKEN_H99_S01
    carries: [H99.S01.X01]
  - unit_code: H99.S03
    kind: csv
    path: landing/H99.S03
  - unit_code: H99.D02.X01
    kind: xlsx
    path: landing/H99.D02.X01
    valid_to: 2024-06-30
"""
FEED_DAGS = {"ingest__H99_S01": "api", "ingest__H99_S03": "csv", "ingest__H99_D02_X01": "xlsx"}
STAGE_DAGS = {"ingest__reference", "transform__dbt", "quality__gate", "publish__annual_report",
              "cchc__annual_pipeline"}


def _parse(data_dir: Path, sources: str):
    """The real DagBag of the dags folder for a data directory with `sources` as sources.yml."""
    (data_dir / "reference").mkdir()
    (data_dir / "reference" / "sources.yml").write_text(sources, encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CCHC_DATA_DIR", str(data_dir))
        from airflow.dag_processing.dagbag import BundleDagBag

        return BundleDagBag(str(DAGS_FOLDER), bundle_path=DAGS_FOLDER)


@pytest.fixture(scope="module")
def dagbag(tmp_path_factory, airflow_configured):
    return _parse(tmp_path_factory.mktemp("small"), SMALL_SOURCES)


def test_a_bad_sources_entry_names_file_entry_and_field_and_spares_the_other_feeds(
        tmp_path, airflow_configured):
    bad_entry = "  - unit_code: H99.S04\n    kind: csv\n    path: landing/H99.S04\n    encodng: cp1258\n"
    bag = _parse(tmp_path, SMALL_SOURCES + bad_entry)

    assert bag.import_errors == {}
    assert set(bag.dag_ids) == set(FEED_DAGS) | STAGE_DAGS | {"ingest__H99_S04"}
    broken = bag.dags["ingest__H99_S04"]
    sources = tmp_path / "reference" / "sources.yml"
    assert f"{sources}: unit H99.S04 (entry 4), (entry): Additional properties are not allowed " \
           "('encodng' was unexpected)" in broken.description
    assert not broken.timetable.can_be_scheduled  # never runs by itself
    assert [task.task_id for task in broken.tasks] == ["invalid_feed"]


def test_every_dag_file_imports(dagbag):
    assert dagbag.import_errors == {}


def test_one_ingest_dag_per_feed_of_sources_yml(dagbag):
    assert set(dagbag.dag_ids) == set(FEED_DAGS) | STAGE_DAGS


@pytest.mark.parametrize(("dag_id", "kind"), FEED_DAGS.items())
def test_feed_cadence_follows_its_kind(dagbag, dag_id, kind):
    timetable = dagbag.dags[dag_id].timetable
    if kind == "xlsx":
        assert (timetable.expression, timetable.interval) == ("0 0 1 * *", relativedelta(months=1))
    else:
        assert (timetable.expression, timetable.interval) == ("0 0 * * *", timedelta(days=1))
    assert str(timetable.timezone) == "Asia/Ho_Chi_Minh"


def test_start_dates_are_static(dagbag):
    for dag in dagbag.dags.values():
        assert dag.start_date == pendulum.datetime(2024, 1, 1, tz=LOCAL_TZ), dag.dag_id


def test_scheduled_dags_retry_with_backoff_and_the_interactive_one_fails_fast(dagbag):
    for dag in dagbag.dags.values():
        for task in dag.tasks:
            if dag.dag_id == "cchc__annual_pipeline":
                # ingest_feed raises only when the run broke (delivery problems are recorded)
                assert task.retries == (1 if task.task_id == "ingest_feed" else 0), task.task_id
            else:
                assert task.retries >= 3 and task.retry_exponential_backoff, (dag.dag_id, task.task_id)


def test_every_task_of_every_dag_has_an_execution_timeout(dagbag):
    # A task hung on a lost connection is failed (and, when scheduled, retried), never left
    # running; an hour is far above the longest step (the whole year's dbt build).
    for dag in dagbag.dags.values():
        for task in dag.tasks:
            assert task.execution_timeout == timedelta(hours=1), (dag.dag_id, task.task_id)


@pytest.mark.parametrize("dag_id", ["transform__dbt", "publish__annual_report", "cchc__annual_pipeline"])
def test_every_marts_build_holds_the_lease_from_its_first_model_to_its_last_reader(dagbag, dag_id):
    dag = dagbag.dags[dag_id]
    claim, release = dag.get_task("claim_marts"), dag.get_task("release_marts")
    assert claim.is_setup and release.is_teardown  # released however the build ends
    after_claim = claim.get_flat_relative_ids(upstream=False)
    before_release = release.get_flat_relative_ids(upstream=True)
    last_reader = "marts_built" if dag_id == "transform__dbt" else "build_report"
    assert {"dbt_build", last_reader} <= after_claim & before_release


def test_no_cycles(dagbag):
    for dag in dagbag.dags.values():
        dag.check_cycle()  # raises on a cycle


def _schedule_uris(dag) -> set[str]:
    return {asset.uri for asset in dag.timetable.asset_condition.objects}


def test_assets_chain_ingest_to_transform_to_quality(dagbag):
    ingest_outlets = {a.uri for a in dagbag.dags["ingest__H99_S03"].get_task("ingest_interval").outlets}
    transform = dagbag.dags["transform__dbt"]
    assert ingest_outlets == {"cchc://raw/cases"}
    assert _schedule_uris(transform) == {"cchc://raw/cases", "cchc://raw/reference"}
    marts = {a.uri for a in transform.get_task("marts_built").outlets}
    assert marts == _schedule_uris(dagbag.dags["quality__gate"]) == {"cchc://marts/tables"}


def test_publish_runs_mid_january_for_the_year_before(dagbag):
    dag = dagbag.dags["publish__annual_report"]
    assert dag.timetable.expression == "0 6 15 1 *"
    assert dag.params["year"] is None  # resolved by task report_year: the year before the run
    assert dag.get_task("report_year").op_kwargs["previous"] is True


@pytest.mark.parametrize("dag_id", ["transform__dbt", "publish__annual_report", "cchc__annual_pipeline"])
def test_dbt_is_one_build_task_with_the_runs_year_and_cutoff(dagbag, dag_id):
    # One `dbt build` of the whole project: dbt's start-up is paid once, not per model
    # (docs/decisions.md, "One dbt task").
    dag = dagbag.dags[dag_id]
    assert [t for t in dag.task_ids if t.startswith("dbt")] == ["dbt_build"]
    build = dag.get_task("dbt_build")
    assert build.base_cmd == ["build"] and not (build.select or build.exclude)
    # The production command line, as the bench measures it: unit tests stay in the suite.
    assert ["build", *build.dbt_cmd_flags] == build_args()
    assert set(build.vars) == {"report_year", "cutoff_date"}


def test_pipeline_runs_the_stages_in_order(dagbag):
    dag = dagbag.dags["cchc__annual_pipeline"]
    order = ["load_reference", "list_feeds", "ingest_feed", "report_year"]
    for upstream, downstream in itertools.pairwise(order):
        assert upstream in dag.get_task(downstream).upstream_task_ids
    assert "claim_marts" in dag.get_task("report_year").downstream_task_ids
    assert "dbt_build" in dag.get_task("claim_marts").downstream_task_ids
    assert "dbt_build" in dag.get_task("run_quality_checks").upstream_task_ids
    assert "run_quality_checks" in dag.get_task("gate").upstream_task_ids
    assert "gate" in dag.get_task("build_report").upstream_task_ids
    assert dag.get_task("ingest_feed").max_active_tis_per_dagrun == 1

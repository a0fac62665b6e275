"""Ingest: one DAG per feed of `<data>/reference/sources.yml`, named `ingest__<unit>`.

Daily for api and csv feeds, monthly for xlsx workbooks (see `_common.defaults`). A run
loads the deliveries covering its data interval — the day (or month) before its logical
date — so rerunning it changes nothing. Each success updates the raw-cases asset, which
schedules `transform__dbt`. The data directory is CCHC_DATA_DIR.

An entry of sources.yml that fails validation gets an unscheduled DAG of the same name
whose description and only task say what to fix; the other feeds are unaffected.
"""
from _common.defaults import FEED_TIMETABLES, SCHEDULED_DEFAULT_ARGS, START_DATE
from _common.feeds import data_dir, feeds, ingest_dag_id
from _common.tasks import ingest_interval, invalid_feed
from airflow.sdk import DAG

DATA_DIR = data_dir()
VALID, BROKEN = feeds(DATA_DIR)

for unit_code, kind in VALID:
    with DAG(
        dag_id=ingest_dag_id(unit_code),
        description=f"Deliveries of the {kind} feed of unit {unit_code} into the raw layer",
        doc_md=__doc__,
        schedule=FEED_TIMETABLES[kind],
        start_date=START_DATE,
        default_args=SCHEDULED_DEFAULT_ARGS,
        # Runs of one feed share its state (API cursor, superseded deliveries): one at a time.
        max_active_runs=1,
        tags=["ingest", kind],
    ):
        ingest_interval(unit_code=unit_code, data_dir=str(DATA_DIR))

for dag_id, problems in BROKEN.items():
    with DAG(
        dag_id=dag_id,
        description="sources.yml entry is invalid: " + "; ".join(problems),
        doc_md=__doc__,
        schedule=None,
        start_date=START_DATE,
        tags=["ingest", "invalid"],
    ):
        invalid_feed(problems=problems)

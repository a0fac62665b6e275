"""Reference data (units, procedures, calendar, sources, appraisal) into `raw.ref_*`.

Runs daily at 23:30 local time, before the feeds' midnight runs, so a unit added to
units.csv is known when its first cases arrive. Loading unchanged files is a no-op.
"""
from _common.assets import RAW_REFERENCE
from _common.defaults import LOCAL_TZ, SCHEDULED_DEFAULT_ARGS, START_DATE
from _common.feeds import data_dir
from _common.tasks import load_reference
from airflow.sdk import DAG, CronTriggerTimetable

with DAG(
    dag_id="ingest__reference",
    doc_md=__doc__,
    schedule=CronTriggerTimetable("30 23 * * *", timezone=LOCAL_TZ),
    start_date=START_DATE,
    default_args=SCHEDULED_DEFAULT_ARGS,
    max_active_runs=1,
    tags=["ingest", "reference"],
):
    load_reference.override(outlets=[RAW_REFERENCE])(data_dir=str(data_dir()))

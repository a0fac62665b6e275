"""Dates, time zone and retry policy shared by the scheduled DAGs."""
from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.sdk import CronTriggerTimetable
from dateutil.relativedelta import relativedelta

from cchc import settings

#: Every date in the sources is local time of Vietnam (cchc.settings.LOCAL_TZ), as the
#: pendulum zone Airflow's timetables take.
LOCAL_TZ = pendulum.timezone(settings.LOCAL_TZ.key)

#: Static, so that re-parsing never moves the schedule; the first year with data.
START_DATE = pendulum.datetime(2024, 1, 1, tz=LOCAL_TZ)

#: Feeds fail transiently (a workbook still being copied, an API answering 503 for an hour):
#: retry with growing pauses rather than page someone at the first failure.
#: No task may run for ever: the longest step (the whole year's dbt build, a year's workbook
#: backlog) takes minutes on the Department's server; a task still running after this is
#: hung (a lost connection without a timeout) and is failed, and retried when scheduled.
TASK_TIMEOUT = timedelta(hours=1)

SCHEDULED_DEFAULT_ARGS = {
    "owner": "cchc-data",
    "retries": 3,
    "retry_delay": timedelta(minutes=5),
    "retry_exponential_backoff": 2.0,
    "max_retry_delay": timedelta(hours=2),
    "execution_timeout": TASK_TIMEOUT,
}

#: A run someone waits for at the terminal (`make run`) must fail at once with its reason;
#: the ingest layer already retries the API's transient answers itself, and every task
#: retries a restarting database inside itself (cchc.transient).
INTERACTIVE_DEFAULT_ARGS = {"owner": "cchc-data", "retries": 0, "execution_timeout": TASK_TIMEOUT}


def _daily() -> CronTriggerTimetable:
    return CronTriggerTimetable("0 0 * * *", timezone=LOCAL_TZ, interval=timedelta(days=1))


#: A run at local midnight of day D covers day D-1 (its data interval), so a run's logical
#: date is when its data is complete, for scheduled, backfilled, `dags test` and UI/REST-triggered
#: runs (Airflow's CLI `dags trigger` infers the interval from the trigger time: docs/operations.md).
#: Workbooks cover a month and arrive after it ends.
FEED_TIMETABLES = {
    "api": _daily(),
    "csv": _daily(),
    "xlsx": CronTriggerTimetable("0 0 1 * *", timezone=LOCAL_TZ, interval=relativedelta(months=1)),
}

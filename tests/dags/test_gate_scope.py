"""The scheduled gate judges what was built (issue #10 item 7): the report year and cut-off
come from the marts build's asset event, and a build's default cut-off is never a future
December. The events are Airflow's own triggering-event objects, built as the task SDK
hands them to a task."""
from __future__ import annotations

import sys
from datetime import UTC, date, datetime

import pytest
from airflow.sdk.exceptions import AirflowFailException
from airflow.sdk.execution_time.comms import AssetEventDagRunReferenceResult

from tests.dags.conftest import DAGS_FOLDER

sys.path.insert(0, str(DAGS_FOLDER))
from _common.tasks import run_cutoff, scope_of_marts_build


def _marts_event(extra: dict, at: datetime) -> AssetEventDagRunReferenceResult:
    return AssetEventDagRunReferenceResult(
        asset={"name": "cchc://marts/tables", "uri": "cchc://marts/tables", "extra": {}},
        extra=extra, source_task_id="marts_built", source_dag_id="transform__dbt",
        source_run_id="scheduled__x", source_map_index=-1, source_aliases=[], timestamp=at)


def test_the_gate_takes_year_and_cutoff_of_the_newest_marts_build():
    events = [
        _marts_event({"report_year": 2025, "cutoff_date": "2025-06-15"},
                     datetime(2025, 6, 15, 3, tzinfo=UTC)),
        # A rebuild of the year before, triggered earlier, queued into the same run.
        _marts_event({"report_year": 2024, "cutoff_date": "2024-12-31"},
                     datetime(2025, 6, 14, 3, tzinfo=UTC)),
    ]
    assert scope_of_marts_build(events) == {"year": 2025, "cutoff_date": "2025-06-15"}


def test_an_event_without_cutoff_is_judged_at_31_december():
    events = [_marts_event({"report_year": 2024}, datetime(2025, 1, 15, tzinfo=UTC))]
    assert scope_of_marts_build(events) == {"year": 2024, "cutoff_date": "2024-12-31"}


def test_no_marts_build_and_no_year_fails_instead_of_guessing_the_year():
    with pytest.raises(AirflowFailException, match='"year"'):
        scope_of_marts_build([_marts_event({}, datetime(2025, 1, 15, tzinfo=UTC))])
    with pytest.raises(AirflowFailException):
        scope_of_marts_build([])


@pytest.mark.parametrize(("year", "cutoff", "run_day", "expected"), [
    # A daily build in June of the current year is cut off on its own day.
    (2025, None, date(2025, 6, 15), date(2025, 6, 15)),
    # A rebuild of a past year ends at that year's 31 December.
    (2024, None, date(2025, 6, 15), date(2024, 12, 31)),
    # An explicit cut-off wins.
    (2025, "2025-03-31", date(2025, 6, 15), date(2025, 3, 31)),
])
def test_a_builds_cutoff_is_never_a_future_december(year, cutoff, run_day, expected):
    assert run_cutoff(year, cutoff, run_day) == expected

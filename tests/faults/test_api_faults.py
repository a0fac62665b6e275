"""sources.md §3, API faults: a page failing halfway, 429 for a minute, 5xx, a revoked
token, and a case updated while its pages are read."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from ingest.pipeline import ingest_feed, load_reference
from ingest.problems import IngestError
from ingest.sources.api import RetryPolicy
from sampledata.api_emulator import ApiEmulator, Faults
from tests.ingest.kit import (
    FEEDS,
    TOKEN_ENV,
    api_feed,
    api_record,
    deliveries,
    query,
    write_api_dataset,
    write_reference,
)

# Seven cases, one a day; with pages of 3 the window spans three pages.
RECORDS = [api_record(f"A-{n}", f"2024-01-0{n}T09:00:00+07:00") for n in range(1, 8)]


@pytest.fixture
def emulator(tmp_path, monkeypatch, dsn, data_dir):
    write_api_dataset(tmp_path / "api", "T.A01", RECORDS)
    monkeypatch.setenv(TOKEN_ENV, "secret")
    with ApiEmulator(tmp_path / "api", tokens={"T.A01": "secret"}) as running:
        write_reference(data_dir, FEEDS + [api_feed(running, page_size=3)])
        load_reference(dsn, data_dir)
        yield running


def _snapshot_keys(dsn):
    return query(dsn, "select case_code, updated_at from raw.case_snapshots order by 1, 2")


def test_429_for_a_minute_waits_as_told_then_loads(dsn, data_dir, emulator):
    emulator.faults = Faults(throttle_requests=3, retry_after=20)
    sleeps = []

    [outcome] = ingest_feed(dsn, data_dir, "T.A01", retry=RetryPolicy(sleep=sleeps.append))

    assert sleeps == [20, 20, 20]
    assert (outcome.rows_read, outcome.rows_loaded, outcome.rows_quarantined) == (7, 7, 0)


def test_retry_after_as_an_http_date_is_honoured(dsn, data_dir, emulator):
    # RFC 9110 allows either form; an HTTP date has whole seconds, so up to 1 s is lost.
    emulator.faults = Faults(throttle_requests=1, retry_after=format_datetime(
        datetime.now(UTC) + timedelta(seconds=30), usegmt=True))
    sleeps = []

    [outcome] = ingest_feed(dsn, data_dir, "T.A01", retry=RetryPolicy(sleep=sleeps.append))

    assert len(sleeps) == 1 and 27 <= sleeps[0] <= 30
    assert outcome.rows_loaded == 7


def test_a_connection_dropped_mid_page_is_asked_again(dsn, data_dir, emulator):
    emulator.faults = Faults(cut_body_requests=2)
    sleeps = []

    [outcome] = ingest_feed(dsn, data_dir, "T.A01",
                            retry=RetryPolicy(base_delay=0.5, sleep=sleeps.append))

    assert sleeps == [0.5, 1.0]
    assert (outcome.rows_read, outcome.rows_loaded, outcome.rows_quarantined) == (7, 7, 0)


def test_502_503_504_are_retried_with_exponential_backoff(dsn, data_dir, emulator):
    emulator.faults = Faults(page_errors={1: [502, 503, 504]})
    sleeps = []

    [outcome] = ingest_feed(dsn, data_dir, "T.A01",
                            retry=RetryPolicy(base_delay=0.5, sleep=sleeps.append))

    assert sleeps == [0.5, 1.0, 2.0]
    assert outcome.rows_loaded == 7


def test_page_failing_halfway_commits_nothing_then_loads_whole(dsn, data_dir, emulator):
    # The first page arrives, then the platform goes down for the rest of the window.
    emulator.faults = Faults(fail_after_requests=1, fail_status=503)
    no_wait = RetryPolicy(attempts=3, sleep=lambda _: None)

    with pytest.raises(IngestError, match="T.A01.*3 attempts.*503"):
        ingest_feed(dsn, data_dir, "T.A01", retry=no_wait)
    assert deliveries(dsn, "T.A01") == []
    assert _snapshot_keys(dsn) == []
    assert query(dsn, "select count(*) from raw.api_cursors") == [(0,)]

    emulator.faults = Faults()
    [outcome] = ingest_feed(dsn, data_dir, "T.A01", retry=no_wait)

    assert (outcome.rows_read, outcome.rows_loaded) == (7, 7)
    assert len(_snapshot_keys(dsn)) == 7


def test_401_stops_at_once_naming_unit_and_variable(dsn, data_dir, emulator):
    emulator.faults = Faults(unauthorized_units={"T.A01"})

    with pytest.raises(IngestError, match=f"Unit T.A01.*{TOKEN_ENV}.*401"):
        ingest_feed(dsn, data_dir, "T.A01", retry=RetryPolicy(sleep=lambda _: None))
    assert len(emulator.requests) == 1
    assert deliveries(dsn, "T.A01") == []


def test_case_updated_between_pages_is_neither_missed_nor_doubled(dsn, data_dir, emulator):
    # After page 1 (A-1..A-3) A-1 is updated and moves to the end; pages shift left.
    emulator.faults = Faults(update_after_page=1, update_case="A-1")

    [outcome] = ingest_feed(dsn, data_dir, "T.A01")

    keys = _snapshot_keys(dsn)
    assert sorted({code for code, _ in keys}) == [f"A-{n}" for n in range(1, 8)]
    assert len(keys) == len(set(keys)) == 8      # seven cases + A-1's newer snapshot
    assert outcome.rows_read == 8
    assert ingest_feed(dsn, data_dir, "T.A01") == []


def test_update_inside_a_group_sharing_one_time_misses_nothing(dsn, data_dir, emulator):
    # Five cases share 10:00, more than a page of 3, so the reader pages through them by
    # number. T-1 is updated right after the 3rd request (page 1 of that pass): page 2
    # then starts at T-5 and T-4 is skipped, which a second pass must catch.
    tied = [api_record(f"T-{n}", "2024-02-01T10:00:00+07:00") for n in range(1, 6)]
    later = [api_record(f"L-{n}", f"2024-02-0{n + 1}T10:00:00+07:00") for n in (1, 2)]
    emulator.replace_records("T.A01", tied + later)
    emulator.faults = Faults(update_after_request=3, update_case="T-1")

    ingest_feed(dsn, data_dir, "T.A01")

    keys = _snapshot_keys(dsn)
    assert sorted({code for code, _ in keys}) == ["L-1", "L-2", "T-1", "T-2", "T-3", "T-4",
                                                  "T-5"]
    assert len(keys) == len(set(keys)) == 8
    assert [r.query["trang"] for r in emulator.requests][:4] == ["1", "1", "1", "2"]

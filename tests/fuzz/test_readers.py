"""Issue #19, fuzzed readers: mutated deliveries of every kind (strategies.py) go through
the real pipeline into the real warehouse.

Property: ingest raises nothing; each delivery ends `loaded`, `rejected` or `not_loaded`
with its reason; rows_read = rows_loaded + rows_quarantined, and those counts are the
rows actually in raw.case_snapshots / raw.case_events and raw.quarantine.

`make test` runs a few examples per reader (CCHC_FUZZ_EXAMPLES, default 8); `make fuzz`
runs the long form (README).
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings

from ingest.pipeline import ingest_feed, load_reference
from tests.fuzz.strategies import api_records, csv_delivery, mutate, mutations, workbook_rows
from tests.ingest.kit import (
    FEEDS,
    api_feed,
    empty_raw,
    query,
    serve_api,
    write_reference,
    write_workbook,
)

FUZZ = settings(
    max_examples=int(os.environ.get("CCHC_FUZZ_EXAMPLES", "8")),
    deadline=None,  # each example is a real load; its time says nothing about a bug
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.large_base_example],
)


@pytest.fixture(scope="module")
def world(warehouse_dsn, tmp_path_factory):
    """(dsn, data dir, emulator): the test province with every kind of feed."""
    root = tmp_path_factory.mktemp("fuzz")
    with pytest.MonkeyPatch.context() as env, serve_api(root / "api", [], env) as emulator:
        data_dir = write_reference(root / "data", FEEDS + [api_feed(emulator)])
        yield warehouse_dsn, data_dir, emulator


def _fresh(dsn: str, data_dir: Path) -> None:
    """An empty raw layer with the reference loaded, and empty drop folders."""
    empty_raw(dsn)
    load_reference(dsn, data_dir)
    shutil.rmtree(data_dir / "landing", ignore_errors=True)


def _check_deliveries(dsn: str) -> list[tuple]:
    """Assert the property on every delivery; returns (status, read, reason) of each."""
    rows = query(dsn, """
        select d.status, d.rows_read, d.rows_loaded, d.rows_quarantined, d.reason,
               d.reason_vi, d.source_kind,
               (select count(*) from raw.case_snapshots s where s.load_id = d.load_id),
               (select count(distinct e.record_no) from raw.case_events e
                 where e.load_id = d.load_id),
               (select count(*) from raw.quarantine q where q.load_id = d.load_id)
        from raw.deliveries d where d.source_kind <> 'reference' order by d.load_id""")
    for status, read, loaded, quarantined, reason, reason_vi, kind, cases, events, kept in rows:
        assert status in ("loaded", "rejected", "not_loaded")
        assert read == loaded + quarantined
        assert quarantined == kept
        # An API record brings its events with its case; a file row is one or the other.
        assert loaded == (cases if kind == "api" else cases + events)
        if status != "loaded":
            assert read == 0 and reason and reason_vi
        # What the run reached, in --hypothesis-show-statistics.
        event(f"{kind} {status}" + (" with quarantined rows" if quarantined else ""))
    return [(r[0], r[1], r[4]) for r in rows]


@FUZZ
@given(delivery=csv_delivery())
def test_mutated_csv_files(world, delivery):
    dsn, data_dir, _ = world
    _fresh(dsn, data_dir)
    folder = data_dir / "landing" / delivery["feed"]
    folder.mkdir(parents=True)
    (folder / delivery["name"]).write_bytes(delivery["data"])
    if delivery["ok"] is not None:
        (folder / f"{delivery['name']}.ok").write_bytes(delivery["ok"])

    ingest_feed(dsn, data_dir, delivery["feed"])

    [(status, read, _)] = _check_deliveries(dsn)
    if status == "loaded":  # then its records are exactly the ones the .ok counts
        assert delivery["ok"] is not None and read == int(delivery["ok"])


@FUZZ
@given(book=workbook_rows(), damage=mutations)
def test_mutated_workbooks(world, book, damage):
    dsn, data_dir, _ = world
    _fresh(dsn, data_dir)
    path = write_workbook(data_dir / "landing/T.D01.X01/BaoCao_HoSo_2024_01.xlsx", **book)
    whole = path.read_bytes()
    path.write_bytes(mutate(whole, damage))

    ingest_feed(dsn, data_dir, "T.D01.X01")

    [(status, read, reason)] = _check_deliveries(dsn)
    # Blank and total-like rows are not records, hence at most as many as written.
    assert read <= len(book["case_rows"]) + len(book["event_rows"])
    # Whole, with its header within the first 10 rows (title rows + 1): it loads.
    if path.read_bytes() == whole and book["title_rows"] <= 9:
        assert status == "loaded", reason


@FUZZ
@given(records=api_records())
def test_mutated_api_records(world, records):
    dsn, data_dir, emulator = world
    _fresh(dsn, data_dir)
    emulator.replace_records("T.A01", records)

    ingest_feed(dsn, data_dir, "T.A01")

    # One window holding every record, each (case, update time) once; none when empty.
    assert _check_deliveries(dsn) == ([("loaded", len(records), None)] if records else [])

"""Kind api: windows read from the cursor through real HTTP to the emulator."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ingest.pipeline import ingest_feed, load_reference
from ingest.problems import IngestError
from tests.ingest.kit import (
    FEEDS,
    TOKEN_ENV,
    api_feed,
    api_record,
    deliveries,
    query,
    serve_api,
    write_reference,
)

EVENTS = [{"Loai": "XIN_LOI", "ThoiDiem": "2024-01-21T08:00:00+07:00",
           "NgayHenTraMoi": "2024-01-25T17:00:00+07:00", "DonViNhan": None,
           "LyDo": "Cần xác minh thêm"},
          {"Loai": "CHUYEN_LIEN_THONG", "ThoiDiem": "2024-01-16T01:00:00Z",
           "NgayHenTraMoi": None, "DonViNhan": "T.S01", "LyDo": None}]
RECORDS = [
    api_record("A-1", "2024-01-15T10:00:00+07:00", QuaTrinhXuLy=EVENTS),
    # Written in UTC by its vendor: 2024-01-16 01:30 local.
    api_record("A-2", "2024-01-15T18:30:00+00:00", NgayTiepNhan="2024-01-15T18:00:00+00:00"),
    api_record("A-3", "2024-01-17T09:00:00+07:00", MaDonVi="T.X99"),
    api_record("A-4", "2024-01-18T09:00:00+07:00"),
]


@pytest.fixture
def emulator(tmp_path, monkeypatch):
    with serve_api(tmp_path / "api", RECORDS, monkeypatch) as running:
        yield running


def test_window_lands_records_events_and_cursor(dsn, data_dir, emulator):
    write_reference(data_dir, FEEDS + [api_feed(emulator)])
    load_reference(dsn, data_dir)

    [outcome] = ingest_feed(dsn, data_dir, "T.A01")

    assert (outcome.status, outcome.rows_read, outcome.rows_loaded,
            outcome.rows_quarantined) == ("loaded", 4, 3, 1)
    assert outcome.delivery == "capNhatTu=2000-01-01T00:00:00+07:00..2024-01-18T09:00:00+07:00"
    assert query(dsn, "select case_code, received_at, updated_at from raw.case_snapshots"
                      " where case_code = 'A-2'") == [
        ("A-2", datetime(2024, 1, 15, 18, 0, tzinfo=UTC),
         datetime(2024, 1, 15, 18, 30, tzinfo=UTC))]
    assert query(dsn, "select event_no, event_type, event_at, receiving_unit_code"
                      " from raw.case_events order by event_no") == [
        (1, "XIN_LOI", datetime(2024, 1, 21, 1, 0, tzinfo=UTC), None),
        (2, "CHUYEN_LIEN_THONG", datetime(2024, 1, 16, 1, 0, tzinfo=UTC), "T.S01")]
    assert query(dsn, "select field, value, reason_code, original->>'MaHoSo', line_no"
                      " from raw.quarantine") == [("MaDonVi", "T.X99", "unknown_unit", "A-3", None)]
    assert query(dsn, "select cursor_at, load_id from raw.api_cursors") == [
        (datetime(2024, 1, 18, 2, 0, tzinfo=UTC), outcome.load_id)]


def test_next_window_reads_only_what_changed(dsn, data_dir, emulator):
    write_reference(data_dir, FEEDS + [api_feed(emulator)])
    load_reference(dsn, data_dir)
    ingest_feed(dsn, data_dir, "T.A01")
    assert ingest_feed(dsn, data_dir, "T.A01") == []
    # A new case at exactly the cursor's instant, and a later update of A-1.
    emulator.add_records("T.A01", [
        api_record("A-5", "2024-01-18T09:00:00+07:00"),
        api_record("A-1", "2024-01-19T11:00:00+07:00", TrangThaiHoSo=10)])

    [window] = ingest_feed(dsn, data_dir, "T.A01")

    assert (window.rows_read, window.rows_loaded) == (2, 2)
    assert window.delivery == ("capNhatTu=2024-01-18T09:00:00+07:00"
                               "..2024-01-19T11:00:00+07:00")
    assert [d[1] for d in deliveries(dsn, "T.A01")] == ["loaded", "loaded"]


def test_unset_token_variable_names_unit_and_variable(dsn, data_dir, emulator, monkeypatch):
    monkeypatch.delenv(TOKEN_ENV)
    write_reference(data_dir, FEEDS + [api_feed(emulator)])
    load_reference(dsn, data_dir)

    with pytest.raises(IngestError, match=f"T.A01.*{TOKEN_ENV}"):
        ingest_feed(dsn, data_dir, "T.A01")
    assert emulator.requests == []


def test_already_seen_records_stay_bounded_however_long_the_window(tmp_path, monkeypatch, data_dir):
    """Issue #13.3: 60 cases updated an hour apart, pages of 3. Each request starts at the
    newest time received, so only that page's keys can come back: the set never holds more
    than one page (3), where it used to hold all 60 at the end."""
    from ingest.registry import load_registry
    from ingest.sources.api import BEGINNING, ApiClient, RetryPolicy, read_window

    records = [api_record(f"L-{n}", datetime(2024, 2, 1 + n // 24, n % 24, tzinfo=UTC).isoformat())
               for n in range(60)]
    with serve_api(tmp_path / "api", records, monkeypatch) as running:
        write_reference(data_dir, FEEDS + [api_feed(running, page_size=3)])
        client = ApiClient(load_registry(data_dir).feed("T.A01"), RetryPolicy())
        seen: set = set()
        sizes, read = [], []
        for record in read_window(client, BEGINNING, 3, seen):
            read.append(record["MaHoSo"])
            sizes.append(len(seen))

    assert sorted(read) == sorted(r["MaHoSo"] for r in records)  # each once, none lost
    assert max(sizes) <= 3

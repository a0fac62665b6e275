"""The vendor API emulator speaks sources.md §2.1, including its live-paging hazard."""
from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

import pytest

from sampledata.api_emulator import ApiEmulator, Faults
from tests.ingest.kit import api_record, write_api_dataset

RECORDS = [
    api_record("C-3", "2024-01-03T10:00:00+07:00"),
    api_record("C-1", "2024-01-01T10:00:00+07:00"),
    api_record("C-2", "2024-01-02T03:00:00+00:00"),   # 10:00 local, same instant style
    api_record("C-0", "2024-01-02T10:00:00+07:00"),
]


def _get(emulator, since, page, size, token="secret"):
    query = urllib.parse.urlencode({"capNhatTu": since, "trang": page, "soLuong": size})
    request = urllib.request.Request(f"{emulator.base_url_for('T.A01')}/v1/hoso?{query}",
                                     headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


@pytest.fixture
def emulator(tmp_path):
    write_api_dataset(tmp_path, "T.A01", RECORDS)
    with ApiEmulator(tmp_path, tokens={"T.A01": "secret"}) as running:
        yield running


def test_filters_by_instant_orders_and_pages(emulator):
    first = _get(emulator, "2024-01-02T10:00:00+07:00", 1, 2)
    assert first["tongSo"] == 3
    # C-0 and C-2 share 10:00 local (C-2 written in UTC), then by MaHoSo.
    assert [r["MaHoSo"] for r in first["duLieu"]] == ["C-0", "C-2"]
    assert [r["MaHoSo"] for r in _get(emulator, "2024-01-02T10:00:00+07:00", 2, 2)["duLieu"]] \
        == ["C-3"]


def test_bad_token_is_401_and_throttling_sends_retry_after(emulator):
    with pytest.raises(urllib.error.HTTPError) as refused:
        _get(emulator, "2024-01-01T00:00:00+07:00", 1, 10, token="wrong")
    assert refused.value.code == 401
    emulator.faults.throttle_requests, emulator.faults.retry_after = 1, 60
    with pytest.raises(urllib.error.HTTPError) as throttled:
        _get(emulator, "2024-01-01T00:00:00+07:00", 1, 10)
    assert (throttled.value.code, throttled.value.headers["Retry-After"]) == (429, "60")
    assert len(_get(emulator, "2024-01-01T00:00:00+07:00", 1, 10)["duLieu"]) == 4


def test_update_between_pages_makes_page_numbers_skip_a_record(emulator):
    emulator.faults = Faults(update_after_page=1)
    since = "2024-01-01T00:00:00+07:00"
    seen = [r["MaHoSo"] for page in (1, 2, 3) for r in _get(emulator, since, page, 2)["duLieu"]]
    # C-1 was read on page 1, then updated: it moved to the end and C-2 slid onto page 1.
    assert seen == ["C-1", "C-0", "C-3", "C-1"]
    assert "C-2" not in seen


def test_added_records_are_served_in_order_from_the_next_request(emulator):
    # 03:00Z is 10:00 local: C-0 and C-2 are at it, C-1 before; a page past the end is empty.
    assert _get(emulator, "2024-01-02T03:00:00Z", 1, 10)["tongSo"] == 3
    emulator.add_records("T.A01", [api_record("C-1", "2024-01-02T09:59:59+07:00"),
                                   api_record("B-9", "2024-01-02T10:00:00+07:00")])
    answer = _get(emulator, "2024-01-02T02:59:59Z", 1, 3)
    assert answer["tongSo"] == 5
    assert [r["MaHoSo"] for r in answer["duLieu"]] == ["C-1", "B-9", "C-0"]
    assert [r["MaHoSo"] for r in _get(emulator, "2024-01-02T02:59:59Z", 2, 3)["duLieu"]] \
        == ["C-2", "C-3"]
    assert _get(emulator, "2024-01-02T02:59:59Z", 3, 3)["duLieu"] == []

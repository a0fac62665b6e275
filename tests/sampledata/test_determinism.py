"""The same seed gives the same bytes; a different seed gives a different province."""
from __future__ import annotations

import hashlib
import zipfile
from datetime import date
from pathlib import Path

from sampledata.generate import api_token, generate
from sampledata.planner import everyday_plans
from sampledata.province import UNITS_BY_CODE
from sampledata.workcalendar import WorkCalendar, official_calendar
from tests.sampledata.conftest import TEST_SCALE, TEST_SEED


def _digests(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_seed_same_bytes(sample, tmp_path):
    again = generate(tmp_path, seed=TEST_SEED, scale=TEST_SCALE)
    first = _digests(sample.data_dir.parent)
    second = _digests(tmp_path)
    assert len(first) > 1000
    assert first.keys() == second.keys()
    differing = [name for name in first if first[name] != second[name]]
    assert differing == []
    assert again.counts == sample.counts
    assert again.api_feeds == sample.api_feeds


def test_workbooks_carry_no_wall_clock(sample):
    book = next(sample.data_dir.rglob("*.xlsx"))
    with zipfile.ZipFile(book) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
    assert "2020-01-01T00:00:00Z" in core


def test_other_seed_other_cases(sample):
    cal = WorkCalendar(official_calendar((2025, 2026)), date(2025, 1, 1), date(2026, 12, 31))
    unit = UNITS_BY_CODE["H99.S01"]
    mine, theirs = (
        [(p.received, p.procedure.code) for p in everyday_plans(
            unit, seed, 1.0, date(2025, 1, 1), date(2025, 3, 31), cal)]
        for seed in (TEST_SEED, TEST_SEED + 1)
    )
    assert mine != theirs
    assert api_token(TEST_SEED, "H99.S01") != api_token(TEST_SEED + 1, "H99.S01")
    assert sample.api_feeds["H99.S01"] == ("SAMPLE_API_TOKEN_H99_S01",
                                           api_token(TEST_SEED, "H99.S01"))

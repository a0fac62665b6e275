"""`cchc sample-data --cases N` (issue #12 item 1): a province of about N cases a year,
streamed to disk one unit's month at a time."""
from __future__ import annotations

from datetime import date

import pytest

from sampledata.generate import generate
from sampledata.planner import scale_for
from sampledata.province import UNITS_BY_CODE
from sampledata.workcalendar import WorkCalendar


def test_scale_for_is_cases_over_volume_times_working_days():
    # No holidays: 2025 starts on a Wednesday, so 52 weeks × 5 + 1 = 261 working days.
    # H99.S01 (volume 3.2, in force all year) draws 3.2 × scale cases a working day, so
    # 835.2 cases a year is scale 1 and 1670.4 is scale 2.
    cal = WorkCalendar([], date(2025, 1, 1), date(2026, 12, 31))
    unit = UNITS_BY_CODE["H99.S01"]
    assert scale_for(1670.4, [unit], (2025,), cal) == pytest.approx(2.0)
    assert scale_for(1670.4, [unit], (2025, 2025), cal) == pytest.approx(2.0)


def test_cases_per_year_gives_a_province_of_that_size_with_its_faults(tmp_path):
    info = generate(tmp_path, years=(2025,), cases_per_year=5000)

    # 5000 everyday cases expected by construction, plus the monthly minimum of quiet
    # units and the scripted cases, less the ~2.5 % never accepted: within 5000 ± 15 %.
    assert 4250 <= info.accepted_cases <= 5750
    assert {kind: tally["files"] > 0 for kind, tally in info.counts.items()} == {
        "api": True, "csv": True, "xlsx": True}
    assert {f.kind for f in info.faults} == {"bad_date", "unknown_procedure", "resent"}
    # The spool of the two passes is gone; only the data directory and datasets remain.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["api", "data", "resent_original"]

"""The committed default calendar is what its generator script produces (rules.md §1)."""
from __future__ import annotations

import csv
import importlib.util
from pathlib import Path

from cchc.settings import DBT_PROJECT_DIR

SCRIPT = DBT_PROJECT_DIR / "scripts" / "generate_default_calendar.py"
SEED = DBT_PROJECT_DIR / "seeds" / "calendar" / "default_calendar.csv"


def _generator():
    spec = importlib.util.spec_from_file_location("generate_default_calendar", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _seed_rows(path: Path) -> dict[str, str]:
    with path.open(encoding="utf-8", newline="") as f:
        return {row["date"]: row["kind"] for row in csv.DictReader(f)}


def test_seed_is_the_script_output():
    generator = _generator()
    expected = {d.isoformat(): kind for d, kind in generator.calendar_rows(2018, 2027)}
    assert _seed_rows(SEED) == expected


def test_make_up_saturdays_and_swapped_days_off():
    rows = _seed_rows(SEED)
    # rules.md §1 names these make-up working Saturdays.
    for saturday in ("2024-05-04", "2025-04-26", "2026-08-22"):
        assert rows[saturday] == "WORKDAY"
    # rules.md §10: 29 Apr - 1 May 2024 off (29 Apr swapped with 4 May); Tết 8-14 Feb 2024.
    for day in ("2024-04-29", "2024-04-30", "2024-05-01", "2024-02-08", "2024-02-14"):
        assert rows[day] == "HOLIDAY"
    assert {day[:4] for day in rows} == {str(y) for y in range(2018, 2028)}

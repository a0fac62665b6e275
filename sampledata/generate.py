"""Generate the sample province: a data directory (sources.md §1b) and the API datasets.

`generate(out_dir)` writes
- `<out_dir>/data/`: `reference/` (units, procedures, calendar, sources.yml, appraisal)
  and `landing/<unit>/` (daily CSV files and monthly workbooks, byte-exact vendor formats);
- `<out_dir>/api/<feed unit>.jsonl`: what the API emulator serves for each API feed;
- `<out_dir>/resent_original/<unit>/<file>`: the first, wrong delivery of a day that
  `landing` holds in its corrected, re-sent version (tests replay the re-send).

The output is a function of the arguments only: the same seed gives the same bytes.
"""
from __future__ import annotations

import hashlib
import shutil
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sampledata.faults import FaultRecord
from sampledata.feeds import FEEDS, Feed, feed_for, token_env
from sampledata.lifecycle import Case, CasePlan, Event, Snapshot, build_case
from sampledata.planner import everyday_plans
from sampledata.province import UNITS
from sampledata.scenarios import scripted_plans
from sampledata.workcalendar import WorkCalendar, official_calendar
from sampledata.write_api import write_api_feed
from sampledata.write_csv import write_csv_feed
from sampledata.write_reference import (
    write_appraisal,
    write_calendar,
    write_organisation,
    write_procedures,
    write_sources,
    write_units,
)
from sampledata.write_xlsx import write_xlsx_feed

DEFAULT_SEED = 20251
DEFAULT_YEARS = (2024, 2025)
DEFAULT_API_PORT = 18080


@dataclass
class SampleInfo:
    """What was generated, for the pipeline and for tests."""

    data_dir: Path
    api_dataset_dir: Path
    resent_dir: Path
    #: API feed unit code → (token environment variable, token value)
    api_feeds: dict[str, tuple[str, str]]
    #: feed kind → {"feeds", "cases", "files", "records", "events"}
    counts: dict[str, dict[str, int]]
    accepted_cases: int
    faults: list[FaultRecord] = field(default_factory=list)


def api_token(seed: int, unit_code: str) -> str:
    """The bearer token of an API feed: deterministic, different per seed and feed."""
    return hashlib.sha256(f"sample-api/{seed}/{unit_code}".encode()).hexdigest()[:40]


def _assign_codes(plans: list[CasePlan]) -> None:
    """Case codes `<unit>-<yymmdd>-<nnnn>`, numbered per unit and day in receipt order."""
    plans.sort(key=lambda p: (p.unit, p.received, p.minute_seed))
    counters: dict[tuple[str, date], int] = defaultdict(int)
    for plan in plans:
        key = (plan.unit, plan.received.date())
        counters[key] += 1
        plan.code = f"{plan.unit}-{plan.received:%y%m%d}-{counters[key]:04d}"


def build_cases(seed: int, years: tuple[int, ...], scale: float, cal: WorkCalendar) -> list[Case]:
    """Every case of the sample, everyday and scripted, cut at the end of the last year."""
    first, last = date(years[0], 1, 1), date(years[-1], 12, 31)
    plans = [p for unit in UNITS for p in everyday_plans(unit, seed, scale, first, last, cal)]
    plans += scripted_plans(cal, years, seed)
    _assign_codes(plans)
    return [build_case(plan, cal, last) for plan in plans]


def _route(cases: list[Case]) -> tuple[dict[str, list[Snapshot]], dict[str, list[Event]]]:
    """Each feed's snapshots and events: the feed in charge of the case's unit on that day."""
    snapshots: dict[str, list[Snapshot]] = defaultdict(list)
    events: dict[str, list[Event]] = defaultdict(list)
    for case in cases:
        for snap in case.snapshots:
            snapshots[feed_for(case.unit, snap.updated.date()).unit_code].append(snap)
        for event in case.events:
            events[feed_for(case.unit, event.at.date()).unit_code].append(event)
    return snapshots, events


def _is_accepted(case: Case) -> bool:
    last = case.snapshots[-1]
    return last.received is not None and last.status not in (1, 3)


def generate(out_dir: str | Path, seed: int = DEFAULT_SEED, years: tuple[int, ...] = DEFAULT_YEARS,
             api_port: int = DEFAULT_API_PORT, scale: float = 1.0) -> SampleInfo:
    """Write the sample province under `out_dir` (replacing what a previous run wrote there)."""
    years = tuple(sorted(years))
    out = Path(out_dir)
    data_dir, api_dir, resent_dir = out / "data", out / "api", out / "resent_original"
    for folder in (data_dir, api_dir, resent_dir):
        if folder.exists():
            shutil.rmtree(folder)
    reference = data_dir / "reference"
    reference.mkdir(parents=True)

    # Appointments of late-December cases fall in the next year: the calendar covers it too.
    calendar_rows = official_calendar((*years, years[-1] + 1))
    cal = WorkCalendar(calendar_rows, date(years[0], 1, 1), date(years[-1] + 2, 12, 31))
    cases = build_cases(seed, years, scale, cal)
    cases_by_code = {case.code: case for case in cases}
    snapshots, events = _route(cases)

    months = [(y, m) for y in years for m in range(1, 13)]
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    faults: list[FaultRecord] = []
    for feed in FEEDS:
        feed_snaps, feed_events = snapshots.get(feed.unit_code, []), events.get(feed.unit_code, [])
        if feed.kind == "api":
            written = write_api_feed(feed, feed_snaps, cases_by_code, api_dir)
        elif feed.kind == "csv":
            written, found = write_csv_feed(feed, feed_snaps, feed_events, data_dir, resent_dir,
                                            years[0])
            faults += found
        else:
            written, found = write_xlsx_feed(feed, feed_snaps, feed_events, data_dir,
                                             _feed_months(feed, months), years[0])
            faults += found
        tally = counts[feed.kind]
        tally["feeds"] += 1
        tally["cases"] += len({s.code for s in feed_snaps})
        for key, value in written.items():
            tally[key] += value

    write_units(reference)
    write_procedures(reference)
    write_calendar(reference, calendar_rows)
    write_sources(reference, api_port)
    write_appraisal(reference, years, seed)
    write_organisation(reference)

    return SampleInfo(
        data_dir=data_dir, api_dataset_dir=api_dir, resent_dir=resent_dir,
        api_feeds={f.unit_code: (token_env(f.unit_code), api_token(seed, f.unit_code))
                   for f in FEEDS if f.kind == "api"},
        counts={kind: dict(tally) for kind, tally in sorted(counts.items())},
        accepted_cases=sum(map(_is_accepted, cases)),
        faults=faults,
    )


def _feed_months(feed: Feed, months: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The months in which a workbook feed delivers."""
    return [(y, m) for y, m in months
            if not (feed.valid_from and date(y, m, 1) < feed.valid_from.replace(day=1))
            and not (feed.valid_to and date(y, m, 1) > feed.valid_to)]

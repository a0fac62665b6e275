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
import os
import pickle
import shutil
import tempfile
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import groupby
from multiprocessing import get_context
from pathlib import Path

from sampledata.faults import XLSX_BAD_DATE, FaultRecord
from sampledata.feeds import FEEDS, Feed, feed_for, token_env
from sampledata.lifecycle import Case, CasePlan, Snapshot, build_case
from sampledata.planner import everyday_plans, scale_for
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
#: Bumped whenever the same arguments start giving other bytes: benchmarks cache a
#: generation by size and this version (cchc_app.bench).
GENERATOR_VERSION = 2  # 2: daily volumes above 500 no longer capped (planner._poisson)


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


def _month(moment: datetime) -> tuple[int, int]:
    return moment.year, moment.month


def _is_accepted(case: Case) -> bool:
    last = case.snapshots[-1]
    return last.received is not None and last.status not in (1, 3)


class _Spool:
    """What each feed delivers, by feed, month and part, pickled to disk chunk by chunk.

    Parts: `snaps` and `events` of file feeds by the month they fall in, `api` (a case's
    latest snapshot on an API feed with its events so far) by the snapshot's month.

    Each unit's cases are spooled into a shard of their own (a folder named by the unit's
    place in the order), so units can be built in parallel processes; reading goes
    through the shards in that order, which gives the serial build's order.
    """

    def __init__(self, root: Path, shard: int = 0):
        self._root = root
        self._shard = root / f"{shard:05d}"
        self._files: list[tuple[Path, set[str]]] | None = None

    def _name(self, feed: str, month: tuple[int, int], part: str) -> str:
        return f"{feed}_{month[0]}-{month[1]:02d}.{part}"

    def add(self, feed: str, month: tuple[int, int], part: str, items: list) -> None:
        self._shard.mkdir(exist_ok=True)
        with (self._shard / self._name(feed, month, part)).open("ab") as handle:
            pickle.dump(items, handle, protocol=pickle.HIGHEST_PROTOCOL)

    def read(self, feed: str, month: tuple[int, int], part: str) -> list:
        if self._files is None:  # listed once, when spooling is over: a stat per read is slow
            self._files = [(shard, set(os.listdir(shard)))
                           for shard in sorted(self._root.iterdir())]
        name, items = self._name(feed, month, part), []
        for shard, names in self._files:
            if name in names:
                with (shard / name).open("rb") as handle:
                    while handle.peek(1):
                        items += pickle.load(handle)
        return items


def _spool_chunk(spool: _Spool, plans: list[CasePlan], cal: WorkCalendar, cutoff: date,
                 cases_of_feed: Counter) -> int:
    """Build the cases of one unit's month and spool what each feed delivers of them: a
    record goes to the feed in charge of the case's unit on its day. Returns the cases
    accepted."""
    _assign_codes(plans)
    parts: dict[tuple[str, tuple[int, int], str], list] = defaultdict(list)
    accepted = 0
    for plan in plans:
        case = build_case(plan, cal, cutoff)
        accepted += _is_accepted(case)
        latest: dict[Feed, Snapshot] = {}
        for snap in case.snapshots:
            feed = feed_for(case.unit, snap.updated.date())
            latest[feed] = snap
            if feed.kind != "api":
                parts[(feed.unit_code, _month(snap.updated), "snaps")].append(snap)
        for event in case.events:
            feed = feed_for(case.unit, event.at.date())
            if feed.kind != "api":
                parts[(feed.unit_code, _month(event.at), "events")].append(event)
        for feed, snap in latest.items():
            cases_of_feed[feed.unit_code] += 1
            if feed.kind == "api":  # the API serves each case's latest state, events nested
                nested = [e for e in case.events if e.at <= snap.updated]
                parts[(feed.unit_code, _month(snap.updated), "api")].append((snap, nested))
    for (feed_code, month, part), items in parts.items():
        spool.add(feed_code, month, part, items)
    return accepted


def _spool_cases(root: Path, seed: int, years: tuple[int, ...], scale: float,
                 cal: WorkCalendar, workers: int) -> tuple[Counter, int]:
    """Every case of the sample, everyday and scripted, cut at the end of the last year,
    built one unit's month at a time, units in `workers` processes; returns (cases per
    feed, cases accepted)."""
    first, last = date(years[0], 1, 1), date(years[-1], 12, 31)
    scripted: dict[tuple[str, tuple[int, int]], list[CasePlan]] = defaultdict(list)
    for plan in scripted_plans(cal, years, seed):
        scripted[(plan.unit, _month(plan.received))].append(plan)
    units = sorted(UNITS, key=lambda u: u.code)
    jobs = [(root, n, unit, seed, scale, first, last, cal,
             {month: plans for (code, month), plans in scripted.items() if code == unit.code})
            for n, unit in enumerate(units)]
    cases_of_feed: Counter = Counter()
    accepted = 0
    for unit, (unit_cases, unit_accepted, merged) in zip(units, _map(_spool_unit, jobs, workers)):
        cases_of_feed.update(unit_cases)
        accepted += unit_accepted
        for month in merged:
            del scripted[(unit.code, month)]
    leftover = _Spool(root, len(units))
    for chunk in scripted.values():  # scripted cases in a month without everyday ones
        accepted += _spool_chunk(leftover, chunk, cal, last, cases_of_feed)
    return cases_of_feed, accepted


def _spool_unit(root: Path, shard: int, unit, seed: int, scale: float, first: date, last: date,
                cal: WorkCalendar, scripted: dict[tuple[int, int], list[CasePlan]]
                ) -> tuple[Counter, int, list[tuple[int, int]]]:
    """Every everyday case of one unit, with the scripted ones of the same months, a month
    at a time into shard `shard`; (cases per feed, cases accepted, the scripted months
    merged)."""
    spool = _Spool(root, shard)
    cases_of_feed: Counter = Counter()
    accepted = 0
    merged = []
    for month, chunk in groupby(everyday_plans(unit, seed, scale, first, last, cal),
                                key=lambda p: _month(p.received)):
        if month in scripted:
            merged.append(month)
        chunk = [*chunk, *scripted.get(month, [])]
        accepted += _spool_chunk(spool, chunk, cal, last, cases_of_feed)
    return cases_of_feed, accepted, merged


def _map(function, jobs: list[tuple], workers: int) -> list:
    """`function(*job)` of every job, in order; in `workers` processes when above one."""
    if workers <= 1 or len(jobs) <= 1:
        return [function(*job) for job in jobs]
    # spawn, not fork: generate() also runs inside Airflow tasks and threaded servers.
    with ProcessPoolExecutor(min(workers, len(jobs)), mp_context=get_context("spawn")) as pool:
        return list(pool.map(function, *zip(*jobs)))


def _write_feed(spool: _Spool, feed: Feed, months: list[tuple[int, int]], data_dir: Path,
                api_dir: Path, resent_dir: Path) -> tuple[Counter, list[FaultRecord]]:
    """Write one feed's deliveries a month at a time from the spool; (counts, faults)."""
    written: Counter = Counter()
    faults: list[FaultRecord] = []
    if feed.kind == "api":
        records = (record for month in months for record in sorted(
            spool.read(feed.unit_code, month, "api"), key=lambda r: (r[0].updated, r[0].code)))
        written.update(write_api_feed(feed, records, api_dir))
        return written, faults
    feed_months = months if feed.kind == "csv" else _feed_months(feed, months)
    for month in feed_months:
        snaps = spool.read(feed.unit_code, month, "snaps")
        events = spool.read(feed.unit_code, month, "events")
        if feed.kind == "csv":
            counts, found = write_csv_feed(feed, snaps, events, data_dir, resent_dir,
                                           months[0][0], with_faults=not faults)
        else:
            if not faults and feed.unit_code == XLSX_BAD_DATE[0]:
                # The fault's row must be a case a later month delivers again.
                snaps += [s for later in months if later > month
                          for s in spool.read(feed.unit_code, later, "snaps")]
            counts, found = write_xlsx_feed(feed, snaps, events, data_dir, [month],
                                            months[0][0], with_faults=not faults)
        written.update(counts)
        faults += found
    return written, faults


def generate(out_dir: str | Path, seed: int = DEFAULT_SEED, years: tuple[int, ...] = DEFAULT_YEARS,
             api_port: int = DEFAULT_API_PORT, scale: float = 1.0,
             cases_per_year: int | None = None, workers: int | None = None) -> SampleInfo:
    """Write the sample province under `out_dir` (replacing what a previous run wrote there).

    `cases_per_year`, when given, sets the scale. Memory stays bounded whatever the size:
    cases are built one unit's month at a time and spooled to disk by feed and month,
    then each feed's files are written a month at a time. Units are built, and feeds
    written, in `workers` processes (default: CCHC_SAMPLE_WORKERS, else one per core);
    the bytes are the same whatever the number.
    """
    if workers is None:
        workers = int(os.environ.get("CCHC_SAMPLE_WORKERS") or os.cpu_count() or 1)
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
    if cases_per_year is not None:
        scale = scale_for(cases_per_year, UNITS, years, cal)
    months = [(y, m) for y in years for m in range(1, 13)]
    counts: dict[str, Counter] = defaultdict(Counter)
    faults: list[FaultRecord] = []
    with tempfile.TemporaryDirectory(prefix=".spool-", dir=out) as spool_dir:
        spool = _Spool(Path(spool_dir))
        cases_of_feed, accepted = _spool_cases(Path(spool_dir), seed, years, scale, cal, workers)
        jobs = [(spool, feed, months, data_dir, api_dir, resent_dir) for feed in FEEDS]
        for feed, (written, found) in zip(FEEDS, _map(_write_feed, jobs, workers)):
            faults += found
            counts[feed.kind].update(feeds=1, cases=cases_of_feed[feed.unit_code])
            counts[feed.kind].update(written)

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
        accepted_cases=accepted,
        faults=faults,
    )


def _feed_months(feed: Feed, months: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The months in which a workbook feed delivers."""
    return [(y, m) for y, m in months
            if not (feed.valid_from and date(y, m, 1) < feed.valid_from.replace(day=1))
            and not (feed.valid_to and date(y, m, 1) > feed.valid_to)]

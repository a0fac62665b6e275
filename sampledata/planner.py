"""Draw the everyday cases of every unit from its profile.

Each unit has its own random stream (seeded by the run's seed and the unit code), so a
unit's cases do not change when another unit's do. Volumes follow the unit's profile,
scaled; every unit in force receives cases in every month (completeness is a blocking
check downstream, so a quiet month must never look like a missing delivery).
"""
from __future__ import annotations

import math
import random
from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta

from sampledata.lifecycle import DIRECT, ONLINE, POSTAL, Apology, CasePlan, Pause, Supplement
from sampledata.people import draw_applicant
from sampledata.province import Procedure, Profile, Unit, in_force, procedures_for, profile
from sampledata.workcalendar import WorkCalendar

MIN_CASES_PER_MONTH = 2

SUPPLEMENT_REASONS = [
    "Thiếu bản sao giấy tờ tùy thân",
    "Cần bổ sung xác nhận của UBND cấp xã",
    "Bản vẽ chưa đúng quy chuẩn",
    # A reason written on two lines: the CSV field then holds a line break.
    "Hồ sơ còn thiếu:\n- Bản sao có chứng thực giấy chứng nhận",
]
APOLOGY_REASONS = [
    "Cần xác minh thêm",
    "Chờ ý kiến của cơ quan phối hợp",
    "Cán bộ xử lý nghỉ ốm đột xuất",
    "Khối lượng hồ sơ tăng đột biến",
]


def unit_rng(seed: int, name: str) -> random.Random:
    """The random stream of one unit (or one named purpose) of a run."""
    return random.Random(f"{seed}/{name}")


#: Knuth's product of uniforms reaches exp(-mean) only while that is a normal float:
#: past mean ≈ 708 it underflows to 0 and every draw stopped near 745, so a 10 M-case
#: province (busiest unit ≈ 1,320 a working day) came out with 8.5 M cases. A larger mean
#: is drawn as the sum of pieces no larger than this (a sum of Poissons is Poisson).
_POISSON_PIECE = 500.0


def _poisson(rng: random.Random, mean: float) -> int:
    if mean > _POISSON_PIECE:
        pieces = math.ceil(mean / _POISSON_PIECE)
        return sum(_knuth_poisson(rng, mean / pieces) for _ in range(pieces))
    return _knuth_poisson(rng, mean)


def _knuth_poisson(rng: random.Random, mean: float) -> int:
    limit, n, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        n += 1
        product *= rng.random()
    return n


def receipt_days(unit: Unit, cal: WorkCalendar, first: date, last: date, volume: float,
                 rng: random.Random) -> list[date]:
    """The receipt dates of a unit's cases: Poisson per working day, at least a few a month."""
    days: list[date] = []
    month_start = first
    while month_start <= last:
        next_month = (month_start.replace(day=28) + timedelta(days=4)).replace(day=1)
        open_days = [d for d in cal.workdays_in(month_start, min(last, next_month - timedelta(1)))
                     if in_force(unit, d)]
        month = [d for d in open_days for _ in range(_poisson(rng, volume))]
        while open_days and len(month) < MIN_CASES_PER_MONTH:
            month.append(rng.choice(open_days))
        days.extend(sorted(month))
        month_start = next_month
    return days


def _channel(rng: random.Random, prof: Profile, proc: Procedure) -> int:
    if proc.online != "NONE":
        online = prof.online * (1.15 if proc.online == "FULL" else 0.8)
        if rng.random() < online:
            return ONLINE
    return POSTAL if rng.random() < prof.postal else DIRECT


def draw_plan(rng: random.Random, unit: Unit, prof: Profile, day: date, first: date,
              ) -> CasePlan | None:
    """One everyday case of `unit` received on `day` (None if the unit handles no procedure)."""
    procedures = procedures_for(unit, day)
    if not procedures:
        return None
    proc = rng.choice(procedures)
    channel = _channel(rng, prof, proc)
    minute = rng.randrange(450, 990)
    plan = CasePlan(
        unit=unit.code, procedure=proc, channel=channel,
        applicant=draw_applicant(rng, 0.5 if unit.kind == "DEPARTMENT" else 0.08),
        received=datetime(day.year, day.month, day.day, minute // 60, minute % 60),
        minute_seed=rng.randrange(1 << 20),
    )
    roll = rng.random()
    if roll < 0.02:
        plan.outcome = "rejected"
        plan.receipt_on_rejection = channel != ONLINE
        return plan
    if roll < 0.025 and channel == ONLINE:
        plan.outcome = "unaccepted"
        return plan
    plan.outcome = "withdrawn" if roll < 0.035 else "stopped" if roll < 0.05 else "result"
    plan.registered_first = channel == ONLINE and rng.random() < 0.3 and day > first

    if proc.days and prof.calendar_day_appointments and rng.random() < 0.6:
        plan.appointment = "calendar"
    elif rng.random() < prof.padding:
        plan.appointment, plan.padding = "padded", rng.randint(1, 5)
    elif rng.random() < 0.01:
        plan.appointment = "missing"

    if rng.random() < prof.supplement:
        count = 2 if rng.random() < 0.12 else 1
        plan.supplements = [
            Supplement(rng.randint(0 if proc.days == 0 else 1, 3),
                       None if rng.random() < 0.04 else rng.randint(2, 8),
                       rng.choice(SUPPLEMENT_REASONS))
            for _ in range(count)
        ]
    if proc.days >= 5 and rng.random() < prof.pause:
        plan.pauses = [Pause(rng.randint(1, 3), rng.randint(1, 6), fees=proc.fee and rng.random() < 0.5,
                             nested=rng.random() < 0.03)]
    plan.stray_resume = rng.random() < 0.002

    if rng.random() < prof.on_time:
        plan.finish = "on_due" if rng.random() < 0.12 else "early"
        plan.early_position = rng.random() ** 2
        plan.unnecessary_apology = rng.random() < 0.002
    else:
        plan.finish, plan.late_days = "late", rng.choice((1, 1, 1, 2, 2, 3, 5, 8))
        if rng.random() < prof.apology:
            plan.apology = Apology(
                timing="timely" if rng.random() < prof.apology_timely else "late",
                reason=None if rng.random() < 0.06 else rng.choice(APOLOGY_REASONS),
                new_date=rng.random() > 0.03,
                keeps_date=rng.random() < 0.8,
                second=rng.random() < 0.05,
            )
    if proc.sector == "Đất đai" and unit.kind == "DISTRICT" and rng.random() < 0.2:
        plan.transfer_to = "H99.S04"
    elif unit.kind == "COMMUNE" and proc.sector == "Bảo trợ xã hội" and rng.random() < 0.3:
        plan.transfer_to = unit.parent

    plan.returned_after = None if rng.random() < 0.08 else (0 if channel == ONLINE else rng.randint(0, 4))
    plan.missing_finish_time = rng.random() < 0.001
    if proc.fee:
        plan.paid_online = int(rng.random() < (prof.online_payment if channel == ONLINE else 0.1))
    plan.digitised = int(rng.random() < prof.digitised)
    if rng.random() < prof.rating:
        plan.rating = 3 if rng.random() < prof.dissatisfied else rng.choice((1, 1, 2))
    return plan


def everyday_plans(unit: Unit, seed: int, scale: float, first: date, last: date,
                   cal: WorkCalendar) -> Iterator[CasePlan]:
    """The everyday cases of a unit received between `first` and `last`, in receipt order.

    Drawn one at a time, so a large province streams: only the receipt days are held.
    """
    rng = unit_rng(seed, unit.code)
    prof = profile(unit)
    for day in receipt_days(unit, cal, first, last, prof.volume * scale, rng):
        plan = draw_plan(rng, unit, prof, day, first)
        if plan is not None:
            yield plan


def scale_for(cases_per_year: int, units: Iterable[Unit], years: tuple[int, ...],
              cal: WorkCalendar) -> float:
    """The scale at which the everyday cases number about `cases_per_year` a year: each
    working day a unit is in force draws Poisson(volume × scale) cases. Every unit still
    gets MIN_CASES_PER_MONTH, so a small N (below ~5k a year) gives a larger province."""
    unit_days = sum(profile(unit).volume
                    for unit in units for year in years
                    for day in cal.workdays_in(date(year, 1, 1), date(year, 12, 31))
                    if in_force(unit, day))
    return cases_per_year * len(years) / unit_days

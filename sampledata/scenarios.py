"""Scripted cases: every edge case rules.md names, guaranteed whatever the scale.

Everyday cases (`planner`) produce most edge cases by chance at full scale; these make
sure each one exists at any scale, in every sample year and through every feed kind
(an API-fed district, two CSV districts in different dialects, a workbook commune),
plus cases open while their unit changes feed (vendor change, merger).
"""
from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sampledata.feeds import VENDOR_CHANGE_DATE, VENDOR_CHANGE_UNIT
from sampledata.lifecycle import DIRECT, ONLINE, Apology, CasePlan, Pause, Supplement
from sampledata.people import draw_applicant
from sampledata.province import (
    MERGE_DATE,
    MERGED_UNIT,
    UNITS_BY_CODE,
    Procedure,
    procedure_in_force,
    procedures_for,
)
from sampledata.workcalendar import WorkCalendar

#: Units that host the scripted cases: one per feed kind and dialect family.
HOSTS = ("H99.D01", "H99.D05", "H99.D04", "H99.D03.X01")

#: The procedure whose catalogue has a gap in January–February 2024 (see province).
GAP_PROCEDURE, GAP_HOST = "1.011470", "H99.S06"


@dataclass(frozen=True)
class Scenario:
    """A scripted case: when it is received, what procedure it needs, what happens to it."""

    name: str
    receipt: Callable[[WorkCalendar, int], date | None]
    needs: Callable[[Procedure], bool]
    shape: Callable[[CasePlan, WorkCalendar, int], None]


def _on(month: int, day: int) -> Callable[[WorkCalendar, int], date]:
    return lambda cal, year: cal.add(date(year, month, day), 0)


def _before_make_up_day(cal: WorkCalendar, year: int) -> date | None:
    make_up = [d for d in cal.days if d.year == year and d.weekday() >= 5]
    return cal.add(make_up[0], -3) if make_up else None


def _before_first_long_holiday(cal: WorkCalendar, year: int) -> date:
    """Two working days before the first run of 3+ days off (Tết) in the year."""
    day = date(year, 1, 2)
    while cal.workdays_in(day, day + timedelta(days=3)):
        day += timedelta(days=1)
    return cal.add(day, -2)


def _year_end(offset: int) -> Callable[[WorkCalendar, int], date]:
    return lambda cal, year: cal.add(date(year, 12, 31), offset)


def _set(**values) -> Callable[[CasePlan, WorkCalendar, int], None]:
    def shape(plan: CasePlan, cal: WorkCalendar, year: int) -> None:
        for key, value in values.items():
            setattr(plan, key, value)
    return shape


def _holiday_appointment(plan: CasePlan, cal: WorkCalendar, year: int) -> None:
    """A hand-written appointment on the first weekday holiday after the receipt."""
    day = plan.received.date() + timedelta(days=1)
    while cal.is_workday(day) or day.weekday() >= 5:
        day += timedelta(days=1)
    plan.appointment, plan.explicit_appointment, plan.finish = "explicit", day, "on_due"


def _transfer(plan: CasePlan, cal: WorkCalendar, year: int) -> None:
    unit = UNITS_BY_CODE[plan.unit]
    plan.transfer_to = unit.parent or "H99.S04"


def _days(minimum: int = 0, exactly: int | None = None) -> Callable[[Procedure], bool]:
    """A procedure filter on the statutory time limit."""
    if exactly is not None:
        return lambda proc: proc.days == exactly
    return lambda proc: proc.days >= minimum


_ANY, _TIMED, _LONG, _THREE, _ZERO = _days(), _days(2), _days(3), _days(exactly=3), _days(exactly=0)
_reply = Supplement(1, 3, "Thiếu bản sao giấy tờ tùy thân")

SCENARIOS: list[Scenario] = [
    Scenario("due_on_make_up_saturday_late", _before_make_up_day, _THREE,
             _set(finish="late", late_days=1)),
    Scenario("finished_on_make_up_saturday", _before_make_up_day, _THREE, _set(finish="on_due")),
    Scenario("appointment_on_holiday", _on(4, 22), _TIMED, _holiday_appointment),
    Scenario("due_across_tet", _before_first_long_holiday, _LONG, _set(finish="on_due")),
    Scenario("reissued_appointment", _on(3, 11), _TIMED,
             _set(supplements=[_reply], finish="early")),
    Scenario("two_supplement_requests", _on(3, 18), _TIMED, _set(
        supplements=[_reply, Supplement(1, 2, "Bản vẽ chưa đúng quy chuẩn")],
        finish="early", early_position=0.0)),
    Scenario("nested_pause", _on(5, 13), _LONG,
             _set(pauses=[Pause(1, 4, nested=True)], finish="on_due")),
    Scenario("resume_without_pause", _on(5, 20), _TIMED, _set(stray_resume=True)),
    Scenario("pause_for_fees", _on(6, 3), _LONG,
             _set(pauses=[Pause(1, 3, fees=True)], finish="early")),
    Scenario("apology_timely", _on(6, 10), _TIMED,
             _set(finish="late", late_days=2, apology=Apology())),
    Scenario("apology_late", _on(6, 17), _TIMED,
             _set(finish="late", late_days=2, apology=Apology(timing="late"))),
    Scenario("apology_without_reason", _on(6, 24), _TIMED,
             _set(finish="late", late_days=1, apology=Apology(reason=None))),
    Scenario("apology_without_new_date", _on(7, 1), _TIMED,
             _set(finish="late", late_days=1, apology=Apology(new_date=False))),
    Scenario("apology_twice", _on(7, 8), _TIMED,
             _set(finish="late", late_days=3, apology=Apology(second=True))),
    Scenario("apology_new_date_missed", _on(7, 15), _TIMED,
             _set(finish="late", late_days=4, apology=Apology(keeps_date=False))),
    Scenario("apology_unnecessary", _on(7, 22), _TIMED,
             _set(finish="early", unnecessary_apology=True)),
    Scenario("zero_day_late_with_apology", _on(8, 5), _ZERO,
             _set(finish="late", late_days=1, apology=Apology())),
    Scenario("zero_day_same_day", _on(8, 6), _ZERO, _set(finish="on_due")),
    Scenario("missing_appointment", _on(8, 12), _TIMED, _set(appointment="missing")),
    Scenario("missing_finish_time", _on(8, 19), _ANY,
             _set(missing_finish_time=True, returned_after=1)),
    Scenario("transfer", _on(9, 9), _TIMED, _transfer),
    Scenario("padded_appointment", _on(9, 16), _TIMED, _set(appointment="padded", padding=4)),
    Scenario("withdrawn_after_due", _on(9, 23), _TIMED,
             _set(outcome="withdrawn", finish="late", late_days=3)),
    Scenario("stopped_after_due", _on(10, 7), _TIMED,
             _set(outcome="stopped", finish="late", late_days=2)),
    Scenario("finished_on_day_off_after_due", _on(10, 14), _TIMED,
             _set(finish="day_off_after_due", channel=ONLINE)),
    Scenario("rejected_at_desk", _on(10, 21), _ANY, _set(outcome="rejected")),
    Scenario("rejected_online_without_receipt", _on(10, 22), _ANY,
             _set(outcome="rejected", receipt_on_rejection=False, channel=ONLINE)),
    Scenario("registered_never_accepted", _on(10, 23), _ANY,
             _set(outcome="unaccepted", channel=ONLINE)),
    Scenario("open_overdue_at_year_end", _year_end(-12), _TIMED,
             _set(finish="late", late_days=30)),
    Scenario("waiting_for_supplement_at_year_end", _year_end(-5), _TIMED,
             _set(supplements=[Supplement(2, 8, "Thiếu bản sao giấy tờ tùy thân")])),
]


def scripted_plans(cal: WorkCalendar, years: tuple[int, ...], seed: int) -> list[CasePlan]:
    """The scripted cases of every scenario, year and host unit."""
    rng = random.Random(f"{seed}/scenarios")
    plans = []
    for year in years:
        for scenario in SCENARIOS:
            day = scenario.receipt(cal, year)
            if day is None or day.year != year:
                continue
            for host in HOSTS:
                candidates = [p for p in procedures_for(UNITS_BY_CODE[host], day) if scenario.needs(p)]
                if not candidates:
                    continue
                plan = _base_plan(rng, host, rng.choice(candidates), day)
                scenario.shape(plan, cal, year)
                plans.append(plan)
    plans += _hand_over_plans(cal, years, rng)
    gap_day = date(years[0], 2, 20)
    if procedure_in_force(GAP_PROCEDURE, gap_day) is None:
        gap = [p for p in procedures_for(UNITS_BY_CODE[GAP_HOST], date(years[0], 3, 1))
               if p.code == GAP_PROCEDURE]
        if gap:
            plans.append(_base_plan(rng, GAP_HOST, gap[0], cal.add(gap_day, 0)))
    return plans


def _hand_over_plans(cal: WorkCalendar, years: tuple[int, ...], rng: random.Random) -> list[CasePlan]:
    """Cases still open when their unit changes feed, so two feeds deliver the same case."""
    plans = []
    for unit, day in ((VENDOR_CHANGE_UNIT, VENDOR_CHANGE_DATE), (MERGED_UNIT, MERGE_DATE)):
        if day.year not in years:
            continue
        received = cal.add(day, -3)
        candidates = [p for p in procedures_for(UNITS_BY_CODE[unit], received) if p.days >= 3]
        plan = _base_plan(rng, unit, rng.choice(candidates), received)
        plan.finish, plan.late_days = "late", 4
        plans.append(plan)
    return plans


def _base_plan(rng: random.Random, unit: str, proc: Procedure, day: date) -> CasePlan:
    minute = rng.randrange(450, 840)
    return CasePlan(
        unit=unit, procedure=proc, channel=DIRECT,
        applicant=draw_applicant(rng, 0.1),
        received=datetime(day.year, day.month, day.day, minute // 60, minute % 60),
        paid_online=0 if proc.fee else None, digitised=1, rating=rng.choice((None, 1, 2)),
        minute_seed=rng.randrange(1 << 20),
    )

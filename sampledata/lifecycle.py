"""A case's life from submission to result, as the snapshots and events a source emits.

A `CasePlan` says what happens to a case (supplement requests, pauses, how early or
late it finishes, apologies, transfers, …); `build_case` turns it into the dated
sequence of full snapshots (one per change) and events, computing dates with the
official working calendar the way rules.md §3 reads them, and cuts everything after
the data cut-off. Everything is a pure function of the plan: no randomness here.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from sampledata.people import Applicant
from sampledata.province import Procedure
from sampledata.workcalendar import WorkCalendar, at

# National status codes (sources.md §2.1)
REGISTERED, ACCEPTED, REJECTED, IN_PROGRESS, WAITING_SUPPLEMENT, WAITING_FEES = 1, 2, 3, 4, 5, 6
WITHDRAWN, STOPPED, RESULT_READY, RETURNED = 7, 8, 9, 10

DIRECT, ONLINE, POSTAL = 1, 2, 3


@dataclass(frozen=True)
class Event:
    """One entry of `QuaTrinhXuLy` / a row of the event file."""

    case_code: str
    kind: str  # YEU_CAU_BO_SUNG | NHAN_BO_SUNG | XIN_LOI | CHUYEN_LIEN_THONG | TAM_DUNG | TIEP_TUC
    at: datetime
    new_date: datetime | None = None
    to_unit: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class Snapshot:
    """The whole state of a case as its source knew it at `updated`."""

    code: str
    unit: str
    procedure: str
    channel: int
    received: datetime | None
    appointment: datetime | None
    finished: datetime | None
    returned: datetime | None
    status: int
    applicant: Applicant
    paid_online: int | None
    digitised: int | None
    rating: int | None
    updated: datetime


@dataclass
class Case:
    """A case's snapshots and events, oldest first, up to the cut-off."""

    code: str
    unit: str
    snapshots: list[Snapshot]
    events: list[Event]


@dataclass(frozen=True)
class Pause:
    """A TAM_DUNG … TIEP_TUC interval, `after` working days after the previous step."""

    after: int
    length: int
    fees: bool = False  # waiting for financial obligations (status 6)
    nested: bool = False  # a second TAM_DUNG arrives while already paused


@dataclass(frozen=True)
class Supplement:
    """A YEU_CAU_BO_SUNG and, `reply_after` working days later, its NHAN_BO_SUNG (None: never)."""

    after: int
    reply_after: int | None
    reason: str


@dataclass(frozen=True)
class Apology:
    """How an apology letter is issued: `timing` is timely | late; flags spoil it."""

    timing: str = "timely"
    reason: str | None = "Hồ sơ cần xác minh thêm"
    new_date: bool = True  # the letter gives a new appointment date
    keeps_date: bool = True  # the case finishes by the letter's new date
    second: bool = False  # a second letter with yet another date


@dataclass
class CasePlan:
    """What happens to one case; see the module docstring."""

    unit: str
    procedure: Procedure
    channel: int
    applicant: Applicant
    received: datetime  # submission time; also the desk's acceptance time
    code: str = ""
    outcome: str = "result"  # result | withdrawn | stopped | rejected | unaccepted
    registered_first: bool = False  # an online registration (status 1) precedes acceptance
    receipt_on_rejection: bool = True
    appointment: str = "statutory"  # statutory | padded | calendar | missing | explicit
    padding: int = 0
    explicit_appointment: date | None = None
    supplements: list[Supplement] = field(default_factory=list)
    pauses: list[Pause] = field(default_factory=list)
    stray_resume: bool = False  # a TIEP_TUC without an open pause
    finish: str = "early"  # early | on_due | late | day_off_after_due
    early_position: float = 0.5  # where in the window before the due date an early case ends
    late_days: int = 0
    apology: Apology | None = None
    unnecessary_apology: bool = False
    transfer_to: str | None = None
    returned_after: int | None = 1  # working days from result to hand-over; None: not collected
    missing_finish_time: bool = False
    paid_online: int | None = None
    digitised: int | None = None
    rating: int | None = None
    minute_seed: int = 0  # spreads the times of day deterministically


@dataclass
class _Step:
    day: date
    changes: dict
    event_kind: str | None = None
    event: dict = field(default_factory=dict)
    moment: datetime | None = None  # an exact time; otherwise an office-hours one


def _clock(seed: int, n: int) -> tuple[int, int]:
    """An office-hours time of day (07:30–16:59), varying with the case and the step."""
    minutes = 450 + (seed * 7919 + n * 104729) % 570
    return minutes // 60, minutes % 60


def build_case(plan: CasePlan, cal: WorkCalendar, cutoff: date) -> Case:
    """The snapshots and events of `plan`, cut at the end of `cutoff`."""
    steps = _plan_steps(plan, cal)
    return _replay(plan, steps, cutoff)


def _appointment_date(plan: CasePlan, cal: WorkCalendar, day: date) -> date:
    days = plan.procedure.days
    if plan.appointment == "padded":
        return cal.add(day, days + plan.padding)
    if plan.appointment == "calendar":
        # The vendor adds calendar days: the date may fall on a weekend or a holiday.
        return day + timedelta(days=days + days * 2 // 5)
    if plan.appointment == "explicit" and plan.explicit_appointment and day == plan.received.date():
        return plan.explicit_appointment
    return cal.add(day, days)


def _plan_steps(plan: CasePlan, cal: WorkCalendar) -> list[_Step]:
    r = plan.received.date()
    steps: list[_Step] = []
    if plan.outcome == "unaccepted":
        return [_Step(r, {"status": REGISTERED}, moment=plan.received)]
    if plan.registered_first:
        # Registered online the evening before; the desk accepts it the next working day.
        registered = plan.received.replace(hour=20, minute=plan.minute_seed % 60) - timedelta(days=1)
        steps.append(_Step(registered.date(), {"status": REGISTERED}, moment=registered))
    if plan.outcome == "rejected":
        received = plan.received if plan.receipt_on_rejection else None
        steps.append(_Step(r, {"status": REJECTED, "received": received}, moment=plan.received))
        return steps

    first_appointment = _appointment_date(plan, cal, r)
    steps.append(_Step(r, {
        "status": ACCEPTED,
        "received": plan.received,
        "appointment": None if plan.appointment == "missing" else at(first_appointment, 17, 0),
        "paid_online": plan.paid_online,
    }, moment=plan.received))
    # Short procedures are taken up at once, longer ones the next working day.
    steps.append(_Step(r if plan.procedure.days <= 1 else cal.add(r, 1), {"status": IN_PROGRESS}))
    cursor = steps[-1].day
    in_force = first_appointment if plan.appointment != "missing" else cal.add(r, plan.procedure.days)

    for supplement in plan.supplements:
        asked = cal.add(cursor, supplement.after) if supplement.after else cursor
        steps.append(_Step(asked, {"status": WAITING_SUPPLEMENT}, "YEU_CAU_BO_SUNG",
                           {"reason": supplement.reason}))
        if supplement.reply_after is None:
            return steps  # the applicant never answers: the case waits for ever
        cursor = cal.add(asked, supplement.reply_after)
        in_force = _appointment_date(plan, cal, cursor)
        steps.append(_Step(cursor, {"status": IN_PROGRESS}, "NHAN_BO_SUNG",
                           {"new_date": at(in_force, 17, 0)}))

    paused = 0
    for pause in plan.pauses:
        start = cal.add(cursor, pause.after)
        end = cal.add(start, pause.length)
        reason = ("Chờ thực hiện nghĩa vụ tài chính" if pause.fees
                  else "Chờ ý kiến của cơ quan có thẩm quyền")
        steps.append(_Step(start, {"status": WAITING_FEES if pause.fees else IN_PROGRESS},
                           "TAM_DUNG", {"reason": reason}))
        if pause.nested and pause.length >= 2:
            steps.append(_Step(cal.add(start, 1), {}, "TAM_DUNG",
                               {"reason": "Chờ kết quả xác minh của cơ quan liên quan"}))
        steps.append(_Step(end, {"status": IN_PROGRESS}, "TIEP_TUC"))
        paused += cal.between(start, end)
        cursor = end
    if plan.stray_resume:
        cursor = cal.add(cursor, 1)
        steps.append(_Step(cursor, {}, "TIEP_TUC"))

    due = cal.add(cal.add(in_force, 0), paused)
    end_day = _finish_day(plan, cal, cursor, due)
    if plan.transfer_to:
        window = cal.workdays_in(cursor, end_day) or [cursor]
        steps.append(_Step(window[len(window) // 2], {}, "CHUYEN_LIEN_THONG",
                           {"to_unit": plan.transfer_to}))
    steps.extend(_apology_steps(plan, cal, r, due, end_day))

    terminal = {"result": RESULT_READY, "withdrawn": WITHDRAWN, "stopped": STOPPED}[plan.outcome]
    changes = {"status": terminal, "finished": "now"}
    if terminal == RESULT_READY:
        changes["digitised"] = plan.digitised
    if plan.missing_finish_time:
        changes["finished"] = None
    steps.append(_Step(end_day, changes))
    if terminal == RESULT_READY and plan.returned_after is not None:
        hand_over = cal.add(end_day, plan.returned_after) if plan.returned_after else end_day
        steps.append(_Step(hand_over, {"status": RETURNED, "returned": "now", "rating": plan.rating}))
    return steps


def _finish_day(plan: CasePlan, cal: WorkCalendar, cursor: date, due: date) -> date:
    if plan.finish == "late":
        return max(cal.add(due, plan.late_days), cursor)
    if plan.finish == "day_off_after_due":
        day = due + timedelta(days=1)
        while cal.is_workday(day):
            day += timedelta(days=1)
        return day
    if plan.finish == "on_due":
        return max(due, cursor)
    window = cal.workdays_in(cursor, due)
    if not window:
        return cursor
    return window[min(len(window) - 1, int(plan.early_position * (len(window) - 1)))]


def _apology_steps(plan: CasePlan, cal: WorkCalendar, r: date, due: date, end_day: date) -> list[_Step]:
    letters: list[_Step] = []
    if plan.unnecessary_apology:
        letters.append(_Step(max(r, cal.add(end_day, -1)), {}, "XIN_LOI", {
            "reason": "Hệ thống gặp sự cố", "new_date": at(cal.add(due, 2), 17, 0)}))
    apology = plan.apology
    if apology is None or end_day <= due:
        return letters
    issued = max(r, cal.add(due, -1)) if apology.timing == "timely" else due
    new_date = end_day if apology.keeps_date else cal.add(due, 1)
    if not apology.keeps_date and new_date >= end_day:
        new_date = cal.add(end_day, -1)
    letters.append(_Step(issued, {}, "XIN_LOI", {
        "reason": apology.reason,
        "new_date": at(new_date, 17, 0) if apology.new_date else None}))
    if apology.second:
        letters.append(_Step(min(end_day, cal.add(issued, 1)), {}, "XIN_LOI", {
            "reason": "Tiếp tục chờ kết quả xác minh", "new_date": at(cal.add(end_day, 1), 17, 0)}))
    return letters


def _replay(plan: CasePlan, steps: list[_Step], cutoff: date) -> Case:
    """Fold the steps, in date order, into snapshots and events with increasing times."""
    order = sorted(range(len(steps)), key=lambda n: (steps[n].day, n))
    state: Snapshot | None = None
    snapshots: list[Snapshot] = []
    events: list[Event] = []
    previous: datetime | None = None
    for position, n in enumerate(order):
        step = steps[n]
        if step.day > cutoff:
            break
        moment = step.moment or at(step.day, *_clock(plan.minute_seed, position))
        if previous is not None and moment <= previous:
            moment = previous + timedelta(minutes=3 + (plan.minute_seed + position) % 40)
        previous = moment
        changes = {k: (moment if v == "now" else v) for k, v in step.changes.items()}
        if state is None:
            state = Snapshot(plan.code, plan.unit, plan.procedure.code, plan.channel,
                             None, None, None, None, REGISTERED, plan.applicant,
                             None, None, None, moment)
        state = replace(state, **changes, updated=moment)
        snapshots.append(state)
        if step.event_kind:
            events.append(Event(plan.code, step.event_kind, moment, **step.event))
    return Case(plan.code, plan.unit, snapshots, events)

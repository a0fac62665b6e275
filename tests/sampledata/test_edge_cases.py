"""Every edge case rules.md names occurs in the delivered records (counted from the files)."""
from __future__ import annotations

import bisect
import csv
from collections import Counter
from datetime import date, timedelta

import pytest

from tests.sampledata.readback import CaseView

TERMINAL = {7, 8, 9, 10}


class Workdays:
    """Working-day arithmetic from the delivered calendar.csv, written apart from the generator's."""

    def __init__(self, sample):
        with open(sample.data_dir / "reference" / "calendar.csv", encoding="utf-8") as handle:
            rows = {date.fromisoformat(r["date"]): r["kind"] for r in csv.DictReader(handle)}
        first, last = min(rows).replace(month=1, day=1), max(rows).replace(month=12, day=31)
        self.days = [first + timedelta(n) for n in range((last - first).days + 1)]
        self.days = [d for d in self.days
                     if rows.get(d) == "WORKDAY" or (d.weekday() < 5 and rows.get(d) != "HOLIDAY")]
        self.make_up = {d for d, kind in rows.items() if kind == "WORKDAY"}

    def is_workday(self, day: date) -> bool:
        index = bisect.bisect_left(self.days, day)
        return index < len(self.days) and self.days[index] == day

    def add(self, day: date, n: int) -> date:
        if n == 0:
            return self.days[bisect.bisect_left(self.days, day)]
        return self.days[bisect.bisect_right(self.days, day) + n - 1]


@pytest.fixture(scope="module")
def workdays(sample) -> Workdays:
    return Workdays(sample)


@pytest.fixture(scope="module")
def statutory(sample):
    """The time limit of a procedure in force on a day (None outside the catalogue)."""
    with open(sample.data_dir / "reference" / "procedures.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))

    def days(code: str, day: date) -> int | None:
        for row in rows:
            if row["procedure_code"] == code and row["valid_from"] <= day.isoformat() and (
                    not row["valid_to"] or day.isoformat() <= row["valid_to"]):
                return int(row["statutory_days"])
        return None
    return days


def _accepted(cases: dict[str, CaseView]) -> list[CaseView]:
    return [v for v in cases.values()
            if v.latest["NgayTiepNhan"] and v.latest["TrangThaiHoSo"] not in (1, 3)]


def _kinds(view: CaseView) -> Counter:
    return Counter(e["Loai"] for e in view.events)


def _end(view: CaseView) -> date | None:
    latest = view.latest
    if latest["TrangThaiHoSo"] not in TERMINAL:
        return None
    return (latest["NgayKetThucXuLy"] or latest["NgayTra"] or latest["NgayCapNhat"]).date()


def _appointment(view: CaseView) -> date | None:
    reissued = [e for e in view.events if e["Loai"] == "NHAN_BO_SUNG"]
    if reissued:
        return reissued[-1]["NgayHenTraMoi"].date()
    return view.latest["NgayHenTra"].date() if view.latest["NgayHenTra"] else None


def test_every_status_channel_and_flag_occurs(deliveries, cases):
    rows = [row for d in deliveries for row in d.cases]
    assert {r["TrangThaiHoSo"] for r in rows} == set(range(1, 11))
    assert {r["KenhThucHien"] for r in rows} == {1, 2, 3}
    latest = [v.latest for v in cases.values()]
    assert {r["ThanhToanTrucTuyen"] for r in latest} == {None, 0, 1}
    assert {r["SoHoaKetQua"] for r in latest} >= {0, 1}
    assert {r["DanhGia"] for r in latest} == {None, 1, 2, 3}
    assert Counter(r["TrangThaiHoSo"] for r in latest)[3] >= 2
    assert any(r["TrangThaiHoSo"] == 3 and r["NgayTiepNhan"] is None for r in latest)


def test_supplements_pauses_and_transfers(cases):
    views = list(cases.values())
    assert any(_kinds(v)["YEU_CAU_BO_SUNG"] >= 2 for v in views)
    assert any(e["Loai"] == "NHAN_BO_SUNG" and e["NgayHenTraMoi"] for v in views for e in v.events)
    assert any(e["Loai"] == "CHUYEN_LIEN_THONG" and e["DonViNhan"] for v in views for e in v.events)
    nested = stray = 0
    for view in views:
        paused = False
        for event in view.events:
            if event["Loai"] == "TAM_DUNG":
                nested += paused
                paused = True
            elif event["Loai"] == "TIEP_TUC":
                stray += not paused
                paused = False
    assert nested >= 1 and stray >= 1


def test_apologies_of_every_kind(cases):
    views = [v for v in cases.values() if _kinds(v)["XIN_LOI"]]
    first = [next(e for e in v.events if e["Loai"] == "XIN_LOI") for v in views]
    assert any(v.latest["NgayHenTra"] and a["ThoiDiem"].date() < v.latest["NgayHenTra"].date()
               for v, a in zip(views, first))  # before the appointment
    assert any(_appointment(v) and a["ThoiDiem"].date() >= _appointment(v)
               for v, a in zip(views, first))  # too late
    assert any(a["LyDo"] is None for a in first) and any(a["NgayHenTraMoi"] is None for a in first)
    assert any(_kinds(v)["XIN_LOI"] >= 2 for v in views)
    unnecessary = [v for v in views if _end(v) and _appointment(v) and not _kinds(v)["TAM_DUNG"]
                   and _end(v) < _appointment(v)]
    assert unnecessary


def test_dates_around_days_off(cases, workdays, statutory):
    accepted = _accepted(cases)
    appointments = [v.latest["NgayHenTra"].date() for v in accepted if v.latest["NgayHenTra"]]
    assert any(not workdays.is_workday(d) and d.weekday() < 5 for d in appointments)  # a holiday
    assert any(d in workdays.make_up for d in appointments)
    assert any(_end(v) in workdays.make_up for v in accepted)
    padded = zero_day = 0
    for view in accepted:
        received, appointment = view.latest["NgayTiepNhan"].date(), view.latest["NgayHenTra"]
        days = statutory(view.latest["MaTTHC"], received)
        zero_day += days == 0
        if appointment and days is not None:
            padded += appointment.date() > workdays.add(received, days)
    assert padded and zero_day


def test_missing_fields(cases):
    accepted = _accepted(cases)
    assert any(v.latest["NgayHenTra"] is None for v in accepted)
    assert any(v.latest["TrangThaiHoSo"] in TERMINAL and v.latest["NgayKetThucXuLy"] is None
               for v in accepted)


def test_withdrawn_and_stopped_after_the_appointment(cases):
    late = Counter(v.latest["TrangThaiHoSo"] for v in _accepted(cases)
                   if _end(v) and _appointment(v) and _end(v) > _appointment(v))
    assert late[7] >= 1 and late[8] >= 1


@pytest.mark.parametrize("year", [2024, 2025])
def test_open_cases_at_year_end(cases, year):
    cutoff = date(year, 12, 31)
    open_cases = [v for v in _accepted(cases) if v.latest["NgayTiepNhan"].date() <= cutoff
                  and not (_end(v) and _end(v) <= cutoff)]
    overdue = [v for v in open_cases if _appointment(v) and _appointment(v) < cutoff
               and not _kinds(v)["TAM_DUNG"]]
    assert overdue
    waiting = []
    for view in open_cases:
        so_far = [e["Loai"] for e in view.events if e["ThoiDiem"].date() <= cutoff
                  and e["Loai"] in ("YEU_CAU_BO_SUNG", "NHAN_BO_SUNG")]
        if so_far and so_far[-1] == "YEU_CAU_BO_SUNG":
            waiting.append(view)
    assert waiting

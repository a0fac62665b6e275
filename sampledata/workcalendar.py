"""The official working calendar of the sample province (rules.md §1).

Built from the `holidays` package's Vietnamese public holidays and swapped days off; the
make-up working Saturdays (ngày làm bù) that the package does not list as such are read
back from the names it gives the swapped days off ("Day off (substituted from …)").
"""
from __future__ import annotations

import bisect
import re
from datetime import date, datetime, timedelta

import holidays

_SUBSTITUTED_FROM = re.compile(r"substituted from (\d{2})/(\d{2})/(\d{4})")


def _make_up_day(name: str) -> date | None:
    """The weekend day a swapped day off is made up on, from the holiday's name.

    The package writes the date month first (e.g. 04/26/2025); reading it as a weekend
    day either way round keeps us right if its locale ever changes.
    """
    match = _SUBSTITUTED_FROM.search(name)
    if not match:
        return None
    first, second, year = (int(part) for part in match.groups())
    for month, day in ((first, second), (second, first)):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate.weekday() >= 5:
            return candidate
    return None


def official_calendar(years: tuple[int, ...]) -> list[tuple[date, str]]:
    """The `calendar.csv` rows (date, HOLIDAY | WORKDAY) of the given years, in date order."""
    rows: dict[date, str] = {}
    for day, name in holidays.country_holidays("VN", years=list(years)).items():
        rows[day] = "HOLIDAY"
        make_up = _make_up_day(name)
        if make_up is not None and make_up.year in years:
            rows[make_up] = "WORKDAY"
    return sorted(rows.items())


class WorkCalendar:
    """Working-day arithmetic over an official calendar, as rules.md §1 defines it."""

    def __init__(self, rows: list[tuple[date, str]], first: date, last: date):
        self._holidays = {day for day, kind in rows if kind == "HOLIDAY"}
        self._workdays = {day for day, kind in rows if kind == "WORKDAY"}
        self.first, self.last = first, last
        self.days: list[date] = [
            first + timedelta(n)
            for n in range((last - first).days + 1)
            if self.is_workday(first + timedelta(n))
        ]
        self._index = {day: n for n, day in enumerate(self.days)}

    def is_workday(self, day: date) -> bool:
        """Monday to Friday not a holiday, or an announced make-up working day."""
        if day in self._workdays:
            return True
        return day.weekday() < 5 and day not in self._holidays

    def add(self, day: date, n: int) -> date:
        """`workday_add(d, n)`: the n-th working day after (n < 0: before) `day`; n = 0 rolls forward."""
        if n == 0:
            return self._day_at(bisect.bisect_left(self.days, day))
        if n > 0:
            return self._day_at(bisect.bisect_right(self.days, day) + n - 1)
        return self.days[bisect.bisect_left(self.days, day) + n]

    def _day_at(self, index: int) -> date:
        """The index-th working day, extending the span a year at a time when it ends before:
        at a million cases a year the rare long case (paused, apologised for twice) counts
        days past it. Beyond the official rows the weekday rule alone decides."""
        while index >= len(self.days):
            start = self.last + timedelta(1)
            self.last = date(start.year, 12, 31)
            self.days += [start + timedelta(n) for n in range((self.last - start).days + 1)
                          if self.is_workday(start + timedelta(n))]
        return self.days[index]

    def between(self, a: date, b: date) -> int:
        """`workdays_between(a, b)`: working days w with a < w <= b."""
        if b <= a:
            return 0
        return bisect.bisect_right(self.days, b) - bisect.bisect_right(self.days, a)

    def workdays_in(self, first: date, last: date) -> list[date]:
        """The working days from `first` to `last`, both included."""
        return self.days[bisect.bisect_left(self.days, first) : bisect.bisect_right(self.days, last)]


def at(day: date, hour: int, minute: int) -> datetime:
    """A local timestamp on `day`."""
    return datetime(day.year, day.month, day.day, hour, minute)

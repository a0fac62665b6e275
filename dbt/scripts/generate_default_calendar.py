"""Generate seeds/calendar/default_calendar.csv: Vietnam's official calendar 2018-2027.

The `holidays` package knows VN public holidays, Tết, compensatory days off and the
swapped days off, but not the make-up working Saturdays that pay for a swap. It names
a swapped day 'Day off (substituted from MM/DD/YYYY)' (US date order in
the en_US names, not DD/MM as one might expect): that date is the weekend
day worked instead, so it becomes a WORKDAY row (rules.md §1).

Run: .venv/bin/python dbt/scripts/generate_default_calendar.py
"""

import csv
import datetime as dt
import re
from pathlib import Path

import holidays

FIRST_YEAR, LAST_YEAR = 2018, 2027
OUTPUT = Path(__file__).resolve().parents[1] / "seeds" / "calendar" / "default_calendar.csv"
SUBSTITUTED_FROM = re.compile(r"substituted from (\d{2})/(\d{2})/(\d{4})")  # month/day/year


def calendar_rows(first_year: int, last_year: int) -> list[tuple[dt.date, str]]:
    """(date, kind) rows, HOLIDAY for days off and WORKDAY for make-up weekend days."""
    vn = holidays.country_holidays("VN", years=range(first_year, last_year + 1), language="en_US")
    rows: dict[dt.date, str] = {}
    for day, name in vn.items():
        rows[day] = "HOLIDAY"
        for match in SUBSTITUTED_FROM.finditer(name):
            worked = dt.date(int(match[3]), int(match[1]), int(match[2]))
            if worked.weekday() >= 5:
                rows[worked] = "WORKDAY"
    return sorted(rows.items())


def main() -> None:
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    with OUTPUT.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["date", "kind"])
        for day, kind in calendar_rows(FIRST_YEAR, LAST_YEAR):
            writer.writerow([day.isoformat(), kind])


if __name__ == "__main__":
    main()

"""Reporting periods of the Biểu 06 report (Circular 01/2020/TT-VPCP): a month, a
quarter, a half-year or a year, written `2025-07`, `2025-Q3`, `2025-H1`, `2025`.

    parse_period("2025-Q3") -> Period(year=2025, first_month=7, last_month=9, …)
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
_FORMS = "YYYY, YYYY-H1/H2, YYYY-Q1…Q4 or YYYY-MM (e.g. 2025-Q3)"


@dataclass(frozen=True)
class Period:
    code: str  # as written on the command line, upper-cased: 2025-Q3
    year: int
    first_month: int
    last_month: int
    phrase: str  # Vietnamese, as in a sentence: quý III năm 2025

    @property
    def label(self) -> str:
        """For titles: QUÝ III NĂM 2025."""
        return self.phrase.upper()

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, self.first_month, 1)

    @property
    def end(self) -> dt.date:
        return dt.date(
            self.year, self.last_month, calendar.monthrange(self.year, self.last_month)[1]
        )


def parse_period(text: str) -> Period:
    """The period `text` names; ValueError saying the accepted forms otherwise."""
    code = text.strip().upper()
    match = re.fullmatch(r"(\d{4})(?:-(Q[1-4]|H[12]|\d{2}))?", code)
    if not match:
        raise ValueError(f"period {text!r} is not {_FORMS} / kỳ báo cáo không hợp lệ")
    year, part = int(match[1]), match[2]
    if part is None:
        return Period(code, year, 1, 12, f"năm {year}")
    if part.startswith("Q"):
        quarter = int(part[1])
        return Period(code, year, 3 * quarter - 2, 3 * quarter, f"quý {_ROMAN[quarter]} năm {year}")
    if part.startswith("H"):
        half = "đầu" if part == "H1" else "cuối"
        first = 1 if part == "H1" else 7
        return Period(code, year, first, first + 5, f"6 tháng {half} năm {year}")
    month = int(part)
    if not 1 <= month <= 12:
        raise ValueError(f"period {text!r}: month {month} is not 01…12 / tháng không hợp lệ")
    return Period(code, year, month, month, f"tháng {month} năm {year}")

"""Which feed delivers whose cases, and in which vendor's dialect (sources.yml).

The mix covers every kind of sources.md §2: a few provincial API platforms (some
carrying their communes), many daily CSV drops (standard, cp1258, extra columns,
reordered columns, one row per change) and monthly workbooks from older commune
systems (standard, summary sheet first, longer title block, no phone column). Two
changes of hands happen during the data: a commune moves from its workbook vendor to
its district's API platform, and a merged department's cases move to its successor's
feed.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sampledata.province import (
    MERGE_DATE,
    MERGE_SUCCESSOR,
    MERGED_UNIT,
    NEW_UNIT,
    NEW_UNIT_FROM,
    UNITS,
)

#: The commune whose vendor changed: from this day on its district's API feed carries it.
VENDOR_CHANGE_UNIT, VENDOR_CHANGE_DATE = "H99.D02.X01", date(2025, 7, 1)


@dataclass(frozen=True)
class Carried:
    """A unit whose cases come through another unit's feed, from `valid_from` on."""

    unit_code: str
    valid_from: date | None = None


@dataclass(frozen=True)
class Feed:
    """One `sources.yml` entry, plus the vendor dialect the generator writes it in."""

    unit_code: str
    kind: str  # api | csv | xlsx
    dialect: str = "standard"
    encoding: str | None = None  # csv only; None means the default utf-8-sig
    page_size: int = 500
    valid_from: date | None = None
    valid_to: date | None = None
    carries: tuple[Carried, ...] = field(default_factory=tuple)

    @property
    def path(self) -> str:
        """The drop folder, relative to the data directory."""
        return f"landing/{self.unit_code}"

    def covers(self, unit_code: str, day: date) -> bool:
        """Whether this feed brings `unit_code`'s records changed on `day`."""
        if (self.valid_from and day < self.valid_from) or (self.valid_to and day > self.valid_to):
            return False
        if unit_code == self.unit_code:
            return True
        return any(
            c.unit_code == unit_code and (c.valid_from is None or day >= c.valid_from)
            for c in self.carries
        )


XLSX_DIALECTS = ("standard", "summary_sheet", "long_title", "no_phone")

_API_UNITS = {"H99.S01": 500, "H99.S09": 200, "H99.D01": 500, "H99.D02": 300, "H99.D07": 500,
              "H99.D13": 300}
_XLSX_DISTRICTS = ("H99.D03", "H99.D04", "H99.D05", "H99.D10")
_CP1258 = {"H99.S04", "H99.S12", "H99.D04", "H99.D12.X02"}
_CSV_DIALECT = {"H99.S05": "extra_columns", "H99.S19": "extra_columns", "H99.D05": "extra_columns",
                "H99.S07": "reordered", "H99.D06": "reordered", "H99.D15": "reordered",
                "H99.S14": "every_change", "H99.D09": "every_change"}


def _csv_dialect(unit_code: str) -> str:
    """A commune's system usually comes from the same vendor as its district's."""
    district = ".".join(unit_code.split(".")[:2])
    return _CSV_DIALECT.get(unit_code, _CSV_DIALECT.get(district, "standard"))


def _day_before(day: date) -> date:
    return date.fromordinal(day.toordinal() - 1)


def _feeds() -> list[Feed]:
    feeds: list[Feed] = []
    xlsx_count = 0
    for unit in UNITS:
        code = unit.code
        district = unit.parent
        if code in _API_UNITS:
            carries = tuple(
                Carried(u.code, VENDOR_CHANGE_DATE if u.code == VENDOR_CHANGE_UNIT else None)
                for u in UNITS
                if u.parent == code
            )
            feeds.append(Feed(code, "api", page_size=_API_UNITS[code], carries=carries))
        elif district in _API_UNITS and code != VENDOR_CHANGE_UNIT:
            continue  # carried by its district's platform
        elif code == VENDOR_CHANGE_UNIT or (district in _XLSX_DISTRICTS and code != "H99.D03.X04"):
            dialect = XLSX_DIALECTS[xlsx_count % len(XLSX_DIALECTS)]
            xlsx_count += 1
            valid_to = _day_before(VENDOR_CHANGE_DATE) if code == VENDOR_CHANGE_UNIT else None
            feeds.append(Feed(code, "xlsx", dialect=dialect, valid_to=valid_to))
        elif code == MERGED_UNIT:
            feeds.append(Feed(code, "csv", dialect=_csv_dialect(code),
                              valid_to=_day_before(MERGE_DATE)))
        elif code == MERGE_SUCCESSOR:
            feeds.append(Feed(code, "csv", dialect=_csv_dialect(code),
                              carries=(Carried(MERGED_UNIT, MERGE_DATE),)))
        else:
            feeds.append(Feed(code, "csv", dialect=_csv_dialect(code),
                              encoding="cp1258" if code in _CP1258 else None,
                              valid_from=NEW_UNIT_FROM if code == NEW_UNIT else None))
    return feeds


FEEDS: list[Feed] = _feeds()
_FEEDS_OF_UNIT: dict[str, list[Feed]] = {}
for _feed in FEEDS:
    for _code in (_feed.unit_code, *(c.unit_code for c in _feed.carries)):
        _FEEDS_OF_UNIT.setdefault(_code, []).append(_feed)


def feed_for(unit_code: str, day: date) -> Feed:
    """The feed that delivers `unit_code`'s records changed on `day`."""
    for feed in _FEEDS_OF_UNIT.get(unit_code, ()):
        if feed.covers(unit_code, day):
            return feed
    raise LookupError(f"no feed delivers {unit_code} on {day}")


def token_env(unit_code: str) -> str:
    """The environment variable holding an API feed's bearer token."""
    return "SAMPLE_API_TOKEN_" + unit_code.replace(".", "_")

"""Deliberate delivery faults are there, and nothing that would block the report is."""
from __future__ import annotations

import csv
from collections import Counter, defaultdict
from datetime import date, datetime

import yaml

from tests.sampledata.readback import csv_rows


def test_unparseable_dates_leave_the_case_other_snapshots(sample, deliveries, cases):
    bad = [(d, row) for d in deliveries for row in d.bad_rows]
    assert len(bad) >= 3
    assert {d.kind for d, _ in bad} == {"csv", "xlsx"}
    recorded = {(f.file_name, f.case_code) for f in sample.faults if f.kind == "bad_date"}
    assert {(d.path.name, row["Mã hồ sơ"]) for d, row in bad} == recorded
    assert all(row["Mã hồ sơ"] in cases for _, row in bad)


def test_one_row_has_a_procedure_outside_the_catalogue(sample, deliveries):
    with open(sample.data_dir / "reference" / "procedures.csv", encoding="utf-8") as handle:
        known = {r["procedure_code"] for r in csv.DictReader(handle)}
    strays = [row for d in deliveries for row in d.cases if row["MaTTHC"] not in known]
    assert len(strays) == 1


def test_a_day_was_sent_again_corrected(sample):
    (fault,) = [f for f in sample.faults if f.kind == "resent"]
    sources = yaml.safe_load((sample.data_dir / "reference" / "sources.yml").read_text("utf-8"))
    feed = next(f for f in sources["sources"] if f["unit_code"] == fault.unit_code)
    encoding = feed.get("encoding", "utf-8-sig")
    original = sample.resent_dir / fault.unit_code / fault.file_name
    corrected = sample.data_dir / feed["path"] / fault.file_name
    first, second = csv_rows(original, encoding), csv_rows(corrected, encoding)
    assert (original.parent / f"{original.name}.ok").read_text() == f"{len(first)}\n"
    retracted = {r["Mã hồ sơ"] for r in first} - {r["Mã hồ sơ"] for r in second}
    assert len(retracted) == 1 and len(first) == len(second) + 1
    assert first[0] != second[0] and first[0]["Mã hồ sơ"] == second[0]["Mã hồ sơ"]


def test_a_case_appears_twice_in_one_file(deliveries):
    assert any(max(Counter(r["MaHoSo"] for r in d.cases).values(), default=0) >= 2
               for d in deliveries if d.kind == "csv")


def test_changes_of_feed_deliver_the_same_case_twice(deliveries):
    feeds_of_case = defaultdict(set)
    for delivery in deliveries:
        for row in delivery.cases:
            feeds_of_case[(row["MaDonVi"], row["MaHoSo"])].add(delivery.feed)
    assert any(unit == "H99.D02.X01" and feeds == {"H99.D02.X01", "H99.D02"}
               for (unit, _), feeds in feeds_of_case.items())
    assert any(unit == "H99.S02" and feeds == {"H99.S02", "H99.S03"}
               for (unit, _), feeds in feeds_of_case.items())


def test_no_unit_misses_a_month(sample, cases):
    received = {(v.latest["MaDonVi"], v.latest["NgayTiepNhan"].strftime("%Y-%m"))
                for v in cases.values() if v.latest["NgayTiepNhan"]}
    with open(sample.data_dir / "reference" / "units.csv", encoding="utf-8") as handle:
        units = list(csv.DictReader(handle))
    missing = []
    for unit in units:
        for year in (2024, 2025):
            for month in range(1, 13):
                first = date(year, month, 1)
                if unit["valid_from"] > first.isoformat() or (
                        unit["valid_to"] and unit["valid_to"] < first.isoformat()):
                    continue
                if (unit["unit_code"], first.strftime("%Y-%m")) not in received:
                    missing.append((unit["unit_code"], first))
    assert missing == []


def test_every_date_falls_in_a_year_the_calendar_covers(sample, deliveries):
    with open(sample.data_dir / "reference" / "calendar.csv", encoding="utf-8") as handle:
        covered = {row["date"][:4] for row in csv.DictReader(handle)}
    years = {str(value.year) for d in deliveries for row in (*d.cases, *d.events)
             for value in row.values() if isinstance(value, datetime)}
    assert "2024" in years and years <= covered

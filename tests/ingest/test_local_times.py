"""The column path reads local times as whole columns and must accept, reject and place in
time exactly the texts the row path's rule does (ingest.columns.local_time_micros)."""
from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest

from ingest.columns import apply_rule, local_time_micros, strings
from ingest.mapping import CASE_RULES, EVENT_RULES
from ingest.problems import RowProblem

PG_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)

#: Texts the column path reads itself, with the instant worked out by hand (UTC+7).
READ = {
    "01/02/2025 08:30": datetime(2025, 2, 1, 1, 30),
    "29/02/2024 23:59:59": datetime(2024, 2, 29, 16, 59, 59),
    "01/01/2000 07:00": datetime(2000, 1, 1, 0, 0),
    "01/01/1976 00:00": datetime(1975, 12, 31, 17, 0),
    "31/12/2099 23:59": datetime(2099, 12, 31, 16, 59),
}
#: Texts left to the rule: other spellings, impossible dates and times, years outside the
#: zone's latest fixed offset (1975 changed it mid-year), non-ASCII digits, blanks inside.
LEFT_TO_THE_RULE = [
    "1/2/2025 8:30", "31/02/2025 10:00", "29/02/2025 10:00", "12/12/2025 24:00",
    "12/12/2025 23:60", "00/01/2025 10:00", "01/13/2025 10:00", "01/01/2025 10:00:60",
    "01/01/2025 10:00:5", "01/01/2025  10:00", "2025-01-01 10:00", "01/01/1975 10:00",
    "01/07/1975 10:00", "15/06/1960 12:00", "01/01/2100 00:00", "01/01/9999 23:59:59",
    "\u0663\u0663/01/2025 10:00", "01.01.2025 10:00", "01/01/2025T10:00",
]


def _micros(utc: datetime) -> int:
    return round((utc - datetime(2000, 1, 1)).total_seconds() * 1_000_000)


def test_usual_texts_are_read_as_columns_with_the_hand_worked_instants():
    micros, read = local_time_micros(strings(list(READ)))
    assert read.all()
    assert [int(m) for m in micros] == [_micros(utc) for utc in READ.values()]


def test_other_texts_are_left_to_the_rule():
    _, read = local_time_micros(strings([*LEFT_TO_THE_RULE, None]))
    assert not read.any()


def _by_the_rule(rule, text):
    try:
        value = rule(text, None)
    except RowProblem:
        return "rejected"
    return None if value is None else round((value - PG_EPOCH).total_seconds() * 1_000_000)


@pytest.mark.parametrize("rule", [CASE_RULES["Ngày tiếp nhận"], CASE_RULES["Ngày cập nhật"],
                                  EVENT_RULES["Thời điểm"]], ids=lambda r: r.header)
def test_a_time_column_maps_as_its_rule_maps_each_value(rule):
    rng = random.Random(7)
    texts = [*READ, *LEFT_TO_THE_RULE, None]
    for _ in range(2000):  # random layouts around the usual one, valid or not
        day, month = rng.randint(0, 32), rng.randint(0, 13)
        year = rng.choice([1969, 1975, 1976, 2024, 2025, 2099, 2100])
        hour, minute, second = rng.randint(0, 25), rng.randint(0, 61), rng.randint(0, 61)
        texts.append(rng.choice([
            f"{day:02d}/{month:02d}/{year} {hour:02d}:{minute:02d}",
            f"{day:02d}/{month:02d}/{year} {hour:02d}:{minute:02d}:{second:02d}",
            f"{day}/{month}/{year} {hour}:{minute:02d}",
        ]))
    mapped, failed = apply_rule(strings(texts), rule, None)
    column = mapped.column("timestamptz")
    got = ["rejected" if f else None if null else int(m)
           for m, null, f in zip(column.values, column.nulls, failed)]
    assert got == [_by_the_rule(rule, t) for t in texts]

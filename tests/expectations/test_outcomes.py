"""Failure messages: bilingual, naming the check, the units and the numbers."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from expectations.outcomes import ROWS_IN_MESSAGE, failed_outcome


def test_a_failure_names_check_units_and_numbers_in_both_languages():
    rows = [{"unit_code": "H31.305", "period": "2024", "rate": "on_time_rate",
             "value": Decimal("101.50"), "since": dt.date(2024, 3, 1), "note": None}]

    outcome = failed_outcome("marts__x", "1", "marts.x.rates_in_range", "blocking",
                             "tỷ lệ ngoài khoảng 0–100", "rates outside 0–100", 1, rows)

    assert outcome.message_vi == (
        "[marts.x.rates_in_range] tỷ lệ ngoài khoảng 0–100: số dòng vi phạm 1; đơn vị: H31.305. "
        "Chi tiết: H31.305 (period=2024, rate=on_time_rate, value=101.5, since=2024-03-01)")
    assert outcome.message_en.startswith(
        "[marts.x.rates_in_range] rates outside 0–100: offending rows 1; units: H31.305. ")
    assert outcome.rows == [{"unit_code": "H31.305", "period": "2024", "rate": "on_time_rate",
                             "value": 101.5, "since": "2024-03-01", "note": None}]


def test_rows_beyond_those_returned_are_counted_not_hidden():
    rows = [{"unit_code": f"U{i:02d}", "copies": Decimal(2)} for i in range(25)]

    outcome = failed_outcome("raw__x", "1", "raw.x.duplicates", "warning", "lặp", "repeated",
                             300, rows)

    assert outcome.unit_codes == tuple(f"U{i:02d}" for i in range(25))
    assert "units: U00, U01" in outcome.message_en and ", U19 (+5) …." in outcome.message_en
    assert outcome.message_en.endswith(f"; … +{300 - ROWS_IN_MESSAGE} more rows")
    assert outcome.message_vi.endswith(f"; … +{300 - ROWS_IN_MESSAGE} dòng khác")
    assert outcome.rows[0] == {"unit_code": "U00", "copies": 2}

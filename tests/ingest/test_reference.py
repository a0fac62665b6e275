"""Reference files → raw.ref_*: replaced whole, validated with file, line and field."""
from __future__ import annotations

from datetime import date

import pytest

from ingest.pipeline import load_reference
from ingest.problems import IngestError
from tests.ingest.kit import UNITS, query, write_reference


def test_reference_loads_and_reloads_only_when_changed(dsn, data_dir):
    first = load_reference(dsn, data_dir)

    # 4 units + 3 procedure versions + 2 calendar days + 1 appraisal score + 3 feed units.
    assert (first.status, first.rows_read, first.rows_loaded) == ("loaded", 13, 13)
    assert query(dsn, "select procedure_code, statutory_days, valid_from, valid_to"
                      " from raw.ref_procedures where procedure_code = '2.000488'"
                      " order by valid_from") == [
        ("2.000488", 10, date(2020, 1, 1), date(2023, 12, 31)),
        ("2.000488", 7, date(2024, 1, 1), None)]
    assert load_reference(dsn, data_dir).load_id == first.load_id

    write_reference(data_dir, units=UNITS + "T.X02,UBND xã Mới,COMMUNE,T.D01,2025-01-01,,\n")
    second = load_reference(dsn, data_dir)

    assert second.rows_read == 14
    assert query(dsn, "select count(*), min(load_id) from raw.ref_units") == [
        (5, second.load_id)]
    assert query(dsn, "select status, superseded_by from raw.deliveries order by load_id") == [
        ("superseded", second.load_id), ("loaded", None)]


def test_bad_reference_rows_name_file_line_and_field(dsn, data_dir):
    (data_dir / "reference/calendar.csv").write_text(
        "date,kind\n2024-01-01,HOLIDAY\n2024-13-01,HOLIDAY\n2024-05-04,MAKEUP\n")

    with pytest.raises(IngestError) as raised:
        load_reference(dsn, data_dir)

    message = str(raised.value)
    assert "calendar.csv line 3, field date: value '2024-13-01' is invalid" in message
    assert "calendar.csv line 4, field kind: value 'MAKEUP' is invalid" in message
    assert query(dsn, "select count(*) from raw.deliveries") == [(0,)]

"""The column path of CSV ingest (ingest/columns.py) against the row path it speeds up.

Property: for any fuzzed daily file (strategies.csv_delivery), whenever the column path
takes the file, it yields the very records, problems, line numbers and delivery verdicts
of the row path (`check_complete` + `CsvFile`); when it declines, the row path reads it.
Pure Python, so it runs many examples (CCHC_FUZZ_EXAMPLES × 25).
"""
from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyarrow as pa
from hypothesis import HealthCheck, event, given, settings

from ingest.columns import MappedInstants
from ingest.mapping import CASE_COLUMNS, EVENT_COLUMNS, Refs
from ingest.problems import DeliveryProblem
from ingest.sources import csv as csv_source
from tests.fuzz.strategies import csv_delivery

REFS = Refs(frozenset({"T.S01", "T.D01", "T.D01.X01", "T.A01"}),
            frozenset({"1.001612", "2.000488"}))
PG_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
EXAMPLES = int(os.environ.get("CCHC_FUZZ_EXAMPLES", "8")) * 25


def _row_path(delivery) -> object:
    """What the row path makes of the file: its verdict, or every record it reads."""
    try:
        csv_source.check_complete(delivery, _encoding(delivery))
        reader = csv_source.CsvFile(delivery, _encoding(delivery), REFS)
        return (reader.extra_columns, [_record(item) for item in reader])
    except DeliveryProblem as problem:
        return problem


def _column_path(delivery) -> object:
    """The same through the column path, or None when it leaves the file to the row path."""
    try:
        read = csv_source.read_columns(delivery, _encoding(delivery), REFS)
    except DeliveryProblem as problem:
        return problem
    if read is None:
        return None
    names = CASE_COLUMNS if read.record_kind == "case" else EVENT_COLUMNS[1:]
    values = [_values(read.mapped[name]) for name in names]
    records = {int(no): (int(no), read.record_kind, tuple(v[i] for v in values), None)
               for i, no in enumerate(read.record_nos)}
    records |= {item.record_no: _record(item) for item in read.flagged}
    return (read.extra_columns, [records[no] for no in sorted(records)])


def _values(mapped) -> list:
    if isinstance(mapped, MappedInstants):  # times read as a column: the same instants
        return [None if null else PG_EPOCH + timedelta(microseconds=int(micros))
                for micros, null in zip(mapped.micros, mapped.nulls)]
    if mapped.distinct is None:
        return mapped.rows.to_pylist()
    return [mapped.distinct[i] for i in mapped.rows]


def _record(item) -> tuple:
    if item.problem is not None:
        problem = item.problem
        return (item.record_no, item.record_kind, item.line_no, problem.reason_code,
                problem.field, problem.value, problem.reason_en, item.original)
    mapped = item.case if item.record_kind == "case" else item.events[0][1:]
    return (item.record_no, item.record_kind, tuple(mapped), None)


def _encoding(delivery) -> str:
    return "cp1258" if delivery.path.parent.name == "T.D01" else "utf-8-sig"


@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.large_base_example,
                                 HealthCheck.function_scoped_fixture])
@given(fuzzed=csv_delivery())
def test_column_path_reads_every_file_as_the_row_path_does(tmp_path_factory, fuzzed):
    folder = tmp_path_factory.mktemp("columns") / fuzzed["feed"]
    folder.mkdir()
    (folder / fuzzed["name"]).write_bytes(fuzzed["data"])
    if fuzzed["ok"] is not None:
        (folder / f"{fuzzed['name']}.ok").write_bytes(fuzzed["ok"])
    [delivery] = csv_source.discover(Path(folder))

    columns = _column_path(delivery)
    event("column path" if columns is not None else "row path")
    rows = _row_path(delivery)

    if columns is None:
        return
    if isinstance(rows, DeliveryProblem) or isinstance(columns, DeliveryProblem):
        assert isinstance(columns, DeliveryProblem) and isinstance(rows, DeliveryProblem)
        assert (columns.status, columns.reason_en) == (rows.status, rows.reason_en)
    else:
        assert columns == rows


def test_the_column_path_takes_plain_and_quoted_files(tmp_path):
    """Vendors' ordinary files — quoted fields with ';' and line breaks among them — do go
    through the column path (else the property above would hold vacuously)."""
    from tests.ingest.kit import case, write_csv

    rows = [case(), case("T.S01-240103-0002", **{"Họ tên": 'Công ty "An"; chi nhánh\r\nHP'}),
            case("T.S01-240103-0003", **{"Trạng thái": "Không rõ"})]
    write_csv(tmp_path / "T.S01", "hoso_20240103.csv", rows)
    [delivery] = csv_source.discover(tmp_path / "T.S01")

    read = csv_source.read_columns(delivery, "utf-8-sig", REFS)

    assert read is not None and read.rows == 3
    assert list(read.record_nos) == [1, 2]
    assert [(i.record_no, i.line_no, i.problem.reason_code) for i in read.flagged] == [
        (3, 5, "bad_value")]
    assert read.mapped["applicant_name"].rows == pa.array(
        ["Nguyễn Văn An", 'Công ty "An"; chi nhánh\r\nHP'])

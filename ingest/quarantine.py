"""Rows that cannot be loaded: kept in raw.quarantine with the row as delivered and why.

A quarantined row is never dropped: `original` holds the row ({header: value} for files,
the API record for APIs) so it can be corrected and re-delivered. In a row quarantined as
`unstorable_char` every text of `original` (keys too) is escaped with
`ingest.unstorable.escape`, so the row fits in jsonb and `unstorable.unescape` restores it.
"""
from __future__ import annotations

import math
from datetime import date, datetime, time

from psycopg.types.json import Jsonb

from ingest.problems import RowProblem
from ingest.unstorable import escape

COLUMNS = ("load_id", "record_kind", "record_no", "line_no", "field", "value",
           "reason_code", "reason_vi", "reason_en", "original")


def _json_safe(value: object, text) -> object:
    """`value` as JSON jsonb accepts, its texts passed through `text`."""
    if isinstance(value, dict):
        return {text(str(k)): _json_safe(v, text) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_safe(v, text) for v in value]
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)  # NaN and infinities (JSON extensions) are not jsonb numbers
    if value is None or isinstance(value, (bool, int, float)):
        return value
    return text(str(value))  # str, and what a workbook cell may hold besides (timedelta)


def quarantine_row(load_id: int, record_kind: str, record_no: int, line_no: int | None,
                   problem: RowProblem, original: dict) -> tuple:
    """The raw.quarantine tuple (in `COLUMNS` order) for one rejected row."""
    return (load_id, record_kind, record_no, line_no, problem.field, problem.value,
            problem.reason_code, problem.reason_vi, problem.reason_en,
            Jsonb(_json_safe(original, escape if problem.reason_code == "unstorable_char"
                             else str)))

"""Rows that cannot be loaded: kept in raw.quarantine with the row as delivered and why.

A quarantined row is never dropped: `original` holds the row ({header: value} for files,
the API record for APIs) so it can be corrected and re-delivered.
"""
from __future__ import annotations

from datetime import date, datetime

from psycopg.types.json import Jsonb

from ingest.problems import RowProblem

COLUMNS = ("load_id", "record_kind", "record_no", "line_no", "field", "value",
           "reason_code", "reason_vi", "reason_en", "original")


def _json_safe(value: object) -> object:
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_safe(v) for v in value]
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def quarantine_row(load_id: int, record_kind: str, record_no: int, line_no: int | None,
                   problem: RowProblem, original: dict) -> tuple:
    """The raw.quarantine tuple (in `COLUMNS` order) for one rejected row."""
    return (load_id, record_kind, record_no, line_no, problem.field, problem.value,
            problem.reason_code, problem.reason_vi, problem.reason_en,
            Jsonb(_json_safe(original)))

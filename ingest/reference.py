"""Reference data of the Department (sources.md §1) → raw.ref_*.

The files are small, so they are read whole, validated (every problem reported with file,
line, field and value), and replace the previous reference data in one transaction.
"""
from __future__ import annotations

import csv
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from ingest.mapping import nfc
from ingest.problems import IngestError
from ingest.registry import Registry

UNIT_KINDS = ("DEPARTMENT", "DISTRICT", "COMMUNE")
LEVELS = ("PROVINCE", "DISTRICT", "COMMUNE")
ONLINE_LEVELS = ("FULL", "PARTIAL", "NONE")
CALENDAR_KINDS = ("HOLIDAY", "WORKDAY")


def _text(value: str) -> str:
    if not value:
        raise ValueError("empty")
    return value


def _optional_text(value: str) -> str | None:
    return value or None


def _iso_date(value: str) -> date:
    return date.fromisoformat(value)


def _optional_date(value: str) -> date | None:
    return date.fromisoformat(value) if value else None


def _whole(value: str) -> int:
    number = int(value)
    if number < 0:
        raise ValueError("negative")
    return number


def _decimal(value: str) -> Decimal:
    try:
        return Decimal(value)
    except InvalidOperation:
        raise ValueError("not a number") from None


def _one_of(*allowed: str) -> Callable[[str], str]:
    def check(value: str) -> str:
        if value not in allowed:
            raise ValueError(f"not one of {', '.join(allowed)}")
        return value
    return check


@dataclass(frozen=True)
class RefFile:
    """One reference CSV: its table, and a parser per column (in table order)."""

    name: str
    table: str
    columns: dict[str, Callable[[str], object]]
    key: tuple[int, ...] = (0,)          # positions of the table's primary key
    required: bool = True


REF_FILES = (
    RefFile("units.csv", "raw.ref_units", {
        "unit_code": _text, "unit_name": _text, "unit_kind": _one_of(*UNIT_KINDS),
        "parent_code": _optional_text, "valid_from": _iso_date, "valid_to": _optional_date,
        "successor_code": _optional_text}),
    RefFile("procedures.csv", "raw.ref_procedures", {
        "procedure_code": _text, "procedure_name": _text, "sector": _text,
        "authority_level": _one_of(*LEVELS), "statutory_days": _whole,
        "online_level": _one_of(*ONLINE_LEVELS), "valid_from": _iso_date,
        "valid_to": _optional_date}, key=(0, 6)),
    RefFile("calendar.csv", "raw.ref_calendar", {
        "date": _iso_date, "kind": _one_of(*CALENDAR_KINDS)}, required=False),
    RefFile("appraisal.csv", "raw.ref_appraisal", {
        "year": _whole, "unit_code": _text, "criterion_code": _text, "score": _decimal},
        key=(0, 1, 2), required=False),
)


def read_ref_file(folder: Path, spec: RefFile, errors: list[str]) -> list[tuple]:
    """The typed rows of one reference file; problems are appended to `errors`."""
    path = folder / spec.name
    if not path.is_file():
        if spec.required:
            errors.append(f"{spec.name}: file missing / thiếu tệp")
        return []
    rows = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in spec.columns if c not in (reader.fieldnames or [])]
        if missing:
            errors.append(f"{spec.name}: missing column(s) / thiếu cột: {', '.join(missing)}")
            return []
        for row in reader:
            line = reader.line_num
            typed: list[object] = []
            for column, parse in spec.columns.items():
                value = nfc((row.get(column) or "").strip())
                try:
                    typed.append(parse(value))
                except ValueError as exc:
                    errors.append(f"{spec.name} line {line}, field {column}: value '{value}'"
                                  f" is invalid ({exc}) / giá trị không hợp lệ")
            if len(typed) == len(spec.columns):
                rows.append(tuple(typed))
    return rows


def _duplicates(spec: RefFile, rows: list[tuple], errors: list[str]) -> None:
    seen = set()
    for row in rows:
        key = tuple(row[i] for i in spec.key)
        if key in seen:
            errors.append(f"{spec.name}: duplicate key {key} / khoá bị trùng")
        seen.add(key)


def feed_rows(registry: Registry) -> list[tuple]:
    """raw.ref_feeds rows: every unit each feed brings, with its days."""
    return [(feed.unit_code, feed.kind, span.unit_code, span.valid_from, span.valid_to)
            for feed in registry.feeds for span in feed.coverage()]


def read_reference(data_dir: Path) -> dict[str, list[tuple]]:
    """{table: rows} of every reference file; raises `IngestError` listing every problem."""
    folder = Path(data_dir) / "reference"
    errors: list[str] = []
    tables = {}
    for spec in REF_FILES:
        rows = read_ref_file(folder, spec, errors)
        _duplicates(spec, rows, errors)
        tables[spec.table] = rows
    if errors:
        raise IngestError("Reference data is invalid / Dữ liệu danh mục không hợp lệ:\n- "
                          + "\n- ".join(errors))
    return tables


def reference_hash(data_dir: Path) -> str:
    """sha256 over the reference files' names and bytes (what a reload would change)."""
    digest = hashlib.sha256()
    folder = Path(data_dir) / "reference"
    for name in [s.name for s in REF_FILES] + ["sources.yml"]:
        path = folder / name
        digest.update(name.encode())
        digest.update(path.read_bytes() if path.is_file() else b"\0absent")
    return digest.hexdigest()

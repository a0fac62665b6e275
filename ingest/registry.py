"""The feed registry: `<data>/reference/sources.yml`, validated before anything is read.

Adding a unit means editing sources.yml only. Every problem found is reported at once,
each naming the unit (feed) to fix.
"""
from __future__ import annotations

import codecs
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import jsonschema
import yaml

from ingest.problems import IngestError

_DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
_UNIT = {"type": "string", "pattern": r"^[A-Za-z0-9._-]{1,32}$"}
_COMMON = {
    "unit_code": _UNIT,
    "kind": {"enum": ["api", "csv", "xlsx"]},
    "valid_from": _DATE,
    "valid_to": _DATE,
    "carries": {
        "type": "array",
        "items": {
            "oneOf": [
                _UNIT,
                {
                    "type": "object",
                    "properties": {"unit_code": _UNIT, "valid_from": _DATE, "valid_to": _DATE},
                    "required": ["unit_code"],
                    "additionalProperties": False,
                },
            ]
        },
    },
}
_API = {
    "base_url": {"type": "string", "pattern": r"^https?://[^\s/]+"},
    "token_env": {"type": "string", "pattern": r"^[A-Za-z_][A-Za-z0-9_]*$"},
    "page_size": {"type": "integer", "minimum": 1, "maximum": 10000},
}
_FILE = {"path": {"type": "string", "minLength": 1}}
_CSV = {"encoding": {"type": "string", "minLength": 1}}


def _kind(kind: str, specific: dict, required: list[str]) -> dict:
    return {
        "if": {"properties": {"kind": {"const": kind}}, "required": ["kind"]},
        "then": {
            "properties": {**_COMMON, **specific},
            "required": ["unit_code", "kind", *required],
            "additionalProperties": False,
        },
    }


SOURCES_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {
        "sources": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": _COMMON,
                "required": ["unit_code", "kind"],
                "allOf": [
                    _kind("api", _API, ["base_url", "token_env"]),
                    _kind("csv", {**_FILE, **_CSV}, ["path"]),
                    _kind("xlsx", _FILE, ["path"]),
                ],
            },
        }
    },
    "required": ["sources"],
    "additionalProperties": False,
}


@dataclass(frozen=True)
class Carried:
    """A unit whose cases come through another unit's feed, for a span of days."""

    unit_code: str
    valid_from: date | None
    valid_to: date | None


@dataclass(frozen=True)
class Feed:
    """One entry of sources.yml."""

    unit_code: str
    kind: str
    valid_from: date | None = None
    valid_to: date | None = None
    carries: tuple[Carried, ...] = ()
    base_url: str | None = None
    token_env: str | None = None
    page_size: int = 500
    path: str | None = None
    encoding: str = "utf-8-sig"

    def token(self) -> str:
        """The bearer token from the environment variable the feed names."""
        token = os.environ.get(self.token_env or "")
        if not token:
            raise IngestError(
                f"Unit {self.unit_code}: environment variable {self.token_env} (the API token "
                f"named by token_env in sources.yml) is not set / Đơn vị {self.unit_code}: "
                f"chưa đặt biến môi trường {self.token_env} chứa mã truy cập API"
            )
        return token

    def coverage(self) -> list[Carried]:
        """Every unit this feed brings, with the days it brings it (None = unbounded)."""
        own = Carried(self.unit_code, self.valid_from, self.valid_to)
        return [own] + [
            Carried(c.unit_code, _later(self.valid_from, c.valid_from),
                    _earlier(self.valid_to, c.valid_to))
            for c in self.carries
        ]


@dataclass(frozen=True)
class Registry:
    """The validated feeds of sources.yml."""

    feeds: tuple[Feed, ...]

    def feed(self, unit_code: str) -> Feed:
        """The feed operated by `unit_code`."""
        for feed in self.feeds:
            if feed.unit_code == unit_code:
                return feed
        raise IngestError(
            f"Unit {unit_code} has no feed in sources.yml / "
            f"Đơn vị {unit_code} không có nguồn dữ liệu trong sources.yml"
        )


def _later(a: date | None, b: date | None) -> date | None:
    return max(d for d in (a, b) if d) if (a or b) else None


def _earlier(a: date | None, b: date | None) -> date | None:
    return min(d for d in (a, b) if d) if (a or b) else None


def _iso_dates(node):
    # YAML turns unquoted 2024-07-01 into a date; the schema checks the ISO text form.
    if isinstance(node, dict):
        return {k: _iso_dates(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_iso_dates(v) for v in node]
    return node.isoformat() if isinstance(node, date) else node


def _unit_of(document: dict, path) -> str:
    parts = list(path)
    if len(parts) >= 2 and parts[0] == "sources" and isinstance(parts[1], int):
        entry = document["sources"][parts[1]]
        if isinstance(entry, dict) and entry.get("unit_code"):
            return f"unit {entry['unit_code']} (entry {parts[1] + 1})"
        return f"entry {parts[1] + 1}"
    return "top level"


def _schema_problems(document) -> list[tuple[int | None, str]]:
    """(entry index, or None for the document itself; message) of every schema error."""
    validator = jsonschema.Draft202012Validator(SOURCES_SCHEMA)
    problems = []
    for error in sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path)):
        path = list(error.absolute_path)
        field = ".".join(str(p) for p in path[2:]) or "(entry)"
        entry = path[1] if len(path) >= 2 and isinstance(path[1], int) else None
        problems.append((entry, f"{_unit_of(document, error.absolute_path)}, {field}: {error.message}"))
    return problems


def _schema_errors(document) -> list[str]:
    return [message for _entry, message in _schema_problems(document)]


def _to_date(text: str | None, where: str, errors: list[str]) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors.append(f"{where}: '{text}' is not a valid date")
        return None


def _build_feed(entry: dict, errors: list[str]) -> Feed:
    unit = entry["unit_code"]
    where = f"unit {unit}"
    carries = []
    for item in entry.get("carries", []):
        item = {"unit_code": item} if isinstance(item, str) else item
        carries.append(Carried(
            item["unit_code"],
            _to_date(item.get("valid_from"), f"{where}, carries {item['unit_code']}", errors),
            _to_date(item.get("valid_to"), f"{where}, carries {item['unit_code']}", errors),
        ))
    encoding = entry.get("encoding", "utf-8-sig")
    try:
        codecs.lookup(encoding)
    except LookupError:
        errors.append(f"{where}, encoding: unknown encoding '{encoding}'")
    path = entry.get("path")
    if path is not None and (Path(path).is_absolute() or ".." in Path(path).parts):
        errors.append(f"{where}, path: '{path}' must be relative to the data directory")
    return Feed(
        unit_code=unit,
        kind=entry["kind"],
        valid_from=_to_date(entry.get("valid_from"), where, errors),
        valid_to=_to_date(entry.get("valid_to"), where, errors),
        carries=tuple(carries),
        base_url=entry.get("base_url", "").rstrip("/") or None,
        token_env=entry.get("token_env"),
        page_size=entry.get("page_size", 500),
        path=path,
        encoding=encoding,
    )


def _overlaps(a: Carried, b: Carried) -> bool:
    return (a.valid_to is None or b.valid_from is None or b.valid_from <= a.valid_to) and (
        b.valid_to is None or a.valid_from is None or a.valid_from <= b.valid_to
    )


def _coverage_problems(feeds: list[Feed]) -> list[tuple[set[str], str]]:
    """(the feeds at fault, message) of every unit fed twice on a day."""
    problems = []
    seen: set[str] = set()
    for feed in feeds:
        if feed.unit_code in seen:
            problems.append(({feed.unit_code},
                             f"unit {feed.unit_code}: more than one feed in sources.yml"))
        seen.add(feed.unit_code)
    spans: list[tuple[str, Carried]] = [(f.unit_code, c) for f in feeds for c in f.coverage()]
    for i, (feed_a, a) in enumerate(spans):
        for feed_b, b in spans[i + 1:]:
            if a.unit_code == b.unit_code and feed_a != feed_b and _overlaps(a, b):
                problems.append(({feed_a, feed_b}, (
                    f"unit {a.unit_code}: carried by feeds {feed_a} and {feed_b} on "
                    "overlapping days (carries must not overlap)")))
    return problems


def _coverage_errors(feeds: list[Feed]) -> list[str]:
    return [message for _feeds, message in _coverage_problems(feeds)]


def parse_registry(document: object, source: str = "sources.yml") -> Registry:
    """Validate a parsed sources.yml document; raises `IngestError` listing every problem."""
    document = _iso_dates(document)
    errors = _schema_errors(document)
    feeds: list[Feed] = []
    if not errors:
        feeds = [_build_feed(entry, errors) for entry in document["sources"]]
        errors += _coverage_errors(feeds)
    if errors:
        raise IngestError(
            f"{source} is invalid / {source} không hợp lệ:\n- " + "\n- ".join(errors)
        )
    return Registry(tuple(feeds))


def _read(path: Path) -> object:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise IngestError(f"{path}: cannot be read / không đọc được: {exc}") from exc


def _sources_path(data_dir: str | os.PathLike) -> Path:
    return Path(data_dir) / "reference" / "sources.yml"


def load_registry(data_dir: str | os.PathLike) -> Registry:
    """The validated feeds of `<data_dir>/reference/sources.yml`."""
    path = _sources_path(data_dir)
    return parse_registry(_read(path), str(path))


@dataclass(frozen=True)
class InvalidEntry:
    """An entry of sources.yml that fails validation, and every problem found in it."""

    number: int                 # its position in `sources`, from 1
    unit_code: str | None       # the unit it names, when that is a valid unit code
    problems: tuple[str, ...]   # "<file>: unit U (entry N), <field>: <what is wrong>"


def load_entries(data_dir: str | os.PathLike) -> tuple[list[Feed], list[InvalidEntry]]:
    """Each entry of sources.yml validated on its own: the valid feeds, and the entries to fix.

    For the DAG files, where one broken entry must not hide every other feed's DAG; a file
    that is unreadable or not a list of sources raises IngestError. Runs load the whole
    registry (`load_registry`), which refuses a file with any problem.
    """
    path = _sources_path(data_dir)
    document = _iso_dates(_read(path))
    problems = _schema_problems(document)
    if any(entry is None for entry, _message in problems):
        parse_registry(document, str(path))  # raises, listing every problem
    by_entry: dict[int, list[str]] = {}
    for entry, message in problems:
        by_entry.setdefault(entry, []).append(message)
    feeds: dict[int, Feed] = {}
    for index, entry in enumerate(document["sources"]):
        if index not in by_entry:
            errors: list[str] = []
            feed = _build_feed(entry, errors)
            if errors:
                by_entry[index] = errors
            else:
                feeds[index] = feed
    for at_fault, message in _coverage_problems(list(feeds.values())):
        for index, feed in feeds.items():
            if feed.unit_code in at_fault:
                by_entry.setdefault(index, []).append(message)
    invalid = []
    for index, messages in sorted(by_entry.items()):
        entry = document["sources"][index]
        unit = entry.get("unit_code") if isinstance(entry, dict) else None
        valid_unit = isinstance(unit, str) and jsonschema.Draft202012Validator(_UNIT).is_valid(unit)
        invalid.append(InvalidEntry(index + 1, unit if valid_unit else None,
                                    tuple(f"{path}: {message}" for message in messages)))
    return [feed for index, feed in feeds.items() if index not in by_entry], invalid

"""The inspection pack: documented SQL questions in `inspection/`, one per file.

Each file starts with a header of `--` comment lines that this module reads (and
`make docs` publishes):

    -- title: <Vietnamese title>
    -- question: <what it answers, in English; may continue on indented lines>
    -- role: inspector | loader          (the login it is meant to run as)
    -- param <name>: <Vietnamese description>
    -- column <name>: <Vietnamese label of an output column>

Parameters are psql variables (`:'unit_code'`), so a file runs as it is in psql:
`psql "$DSN" -v unit_code=H99.S01 -v period_year=2025 -f inspection/padded_appointments.sql`;
`run()` binds the same names for Python callers and the tests.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

from cchc.settings import PROJECT_ROOT

PACK_DIR = PROJECT_ROOT / "inspection"
_HEADER = re.compile(r"^-- (title|question|role|param|column)( [\w]+)?: (.*)$")
_PSQL_VARIABLE = re.compile(r":'(\w+)'")


class PackError(ValueError):
    """A pack file's header is incomplete, or a run misses a parameter."""


@dataclass(frozen=True)
class Query:
    name: str
    title: str
    question: str
    role: str
    params: dict[str, str] = field(default_factory=dict)
    columns: dict[str, str] = field(default_factory=dict)
    sql: str = ""


def _parse(path: Path) -> Query:
    fields: dict[str, str] = {}
    params: dict[str, str] = {}
    columns: dict[str, str] = {}
    last = None
    for line in path.read_text(encoding="utf-8").splitlines():
        match = _HEADER.match(line)
        if match:
            kind, name, text = match[1], (match[2] or "").strip(), match[3].strip()
            target = {"param": params, "column": columns}.get(kind, fields)
            key = name or kind
            target[key] = text
            last = (target, key)
        elif line.startswith("--   ") and last:  # continuation of the previous entry
            target, key = last
            target[key] += " " + line[2:].strip()
        elif not line.startswith("--"):
            break
    missing = [k for k in ("title", "question", "role") if k not in fields]
    used = set(_PSQL_VARIABLE.findall(path.read_text(encoding="utf-8")))
    if missing or not columns or used != set(params):
        raise PackError(f"{path}: header incomplete (missing {missing or 'nothing'}; params "
                        f"declared {sorted(params)} but used {sorted(used)}; columns {len(columns)})")
    return Query(path.stem, fields["title"], fields["question"], fields["role"], params, columns,
                 path.read_text(encoding="utf-8"))


def load_pack(folder: Path = PACK_DIR) -> list[Query]:
    """Every query of the pack, by file name."""
    return [_parse(path) for path in sorted(folder.glob("*.sql"))]


def run(dsn: str, query: Query, params: dict[str, object]) -> tuple[list[str], list[tuple]]:
    """Run `query` on `dsn` with its parameters; return the column names and the rows."""
    missing = set(query.params) - set(params)
    if missing:
        raise PackError(f"{query.name}: missing parameters {sorted(missing)}")
    # psql variables become psycopg placeholders; a literal % must be doubled for psycopg.
    statement = _PSQL_VARIABLE.sub(r"%(\1)s", query.sql.replace("%", "%%"))
    values = {name: "" if params[name] is None else str(params[name]) for name in query.params}
    with psycopg.connect(dsn) as conn:
        cursor = conn.execute(statement, values)
        return [c.name for c in cursor.description], cursor.fetchall()

"""sources.yml is validated at start, each problem naming the unit to fix."""
from __future__ import annotations

from datetime import date

import pytest

from ingest.problems import IngestError
from ingest.registry import load_entries, load_registry, parse_registry
from tests.paths import SAMPLE_DELIVERIES


def _problems(feeds: list[dict]) -> str:
    with pytest.raises(IngestError) as raised:
        parse_registry({"sources": feeds})
    return str(raised.value)


def test_schema_problems_name_the_unit():
    message = _problems([
        {"unit_code": "U.A", "kind": "api", "base_url": "ftp://h/U.A", "token_env": "T_A",
         "colour": "red"},
        {"unit_code": "U.B", "kind": "api", "base_url": "https://h/U.B"},
        {"unit_code": "U.C", "kind": "csv"},
        {"unit_code": "U.D", "kind": "ftp", "path": "x"},
        {"unit_code": "U.E", "kind": "xlsx", "path": "x", "encoding": "cp1258"},
    ])
    assert "unit U.A (entry 1), base_url: 'ftp://h/U.A' does not match" in message
    assert "unit U.A (entry 1), (entry): Additional properties are not allowed ('colour'" \
        in message
    assert "unit U.B (entry 2), (entry): 'token_env' is a required property" in message
    assert "unit U.C (entry 3), (entry): 'path' is a required property" in message
    assert "unit U.D (entry 4), kind: 'ftp' is not one of ['api', 'csv', 'xlsx']" in message
    assert "unit U.E (entry 5), (entry): Additional properties are not allowed ('encoding'" \
        in message


def test_duplicate_feeds_and_overlapping_carries_are_refused():
    message = _problems([
        {"unit_code": "U.A", "kind": "csv", "path": "a", "carries": ["U.X"]},
        {"unit_code": "U.A", "kind": "csv", "path": "a2"},
        {"unit_code": "U.B", "kind": "xlsx", "path": "b",
         "carries": [{"unit_code": "U.X", "valid_from": "2024-07-01"}]},
        {"unit_code": "U.C", "kind": "csv", "path": "c", "encoding": "latin-9000"},
    ])
    assert "unit U.A: more than one feed in sources.yml" in message
    assert "unit U.X: carried by feeds U.A and U.B on overlapping days" in message
    assert "unit U.C, encoding: unknown encoding 'latin-9000'" in message


def test_a_vendor_change_without_overlap_is_accepted():
    registry = parse_registry({"sources": [
        {"unit_code": "U.D", "kind": "api", "base_url": "http://127.0.0.1:1/U.D",
         "token_env": "T_D", "carries": [{"unit_code": "U.X", "valid_from": date(2024, 7, 1)}]},
        {"unit_code": "U.X", "kind": "xlsx", "path": "landing/U.X", "valid_to": "2024-06-30"},
    ]})
    assert registry.feed("U.D").page_size == 500
    assert [(c.unit_code, c.valid_from) for c in registry.feed("U.D").coverage()] == [
        ("U.D", None), ("U.X", date(2024, 7, 1))]
    with pytest.raises(IngestError, match="U.Z has no feed"):
        registry.feed("U.Z")


def test_shared_sample_registry_loads():
    registry = load_registry(SAMPLE_DELIVERIES)
    assert len(registry.feeds) == 32
    assert registry.feed("H99.S04").encoding == "cp1258"


def test_entries_are_judged_one_by_one_for_the_dag_files(tmp_path):
    (tmp_path / "reference").mkdir()
    sources = tmp_path / "reference" / "sources.yml"
    sources.write_text("""\
sources:
  - {unit_code: U.A, kind: csv, path: a, carries: [U.X]}
  - {unit_code: U.B, kind: xlsx, path: b, carries: [{unit_code: U.X, valid_from: 2024-07-01}]}
  - {unit_code: U.C, kind: csv, path: c, encoding: latin-9000}
  - {unit_code: U.D, kind: ftp, path: d}
  - {unit_code: U.E, kind: csv, path: e}
  - {unit_code: "bad code!", kind: csv, path: f}
""", encoding="utf-8")

    valid, invalid = load_entries(tmp_path)

    assert [feed.unit_code for feed in valid] == ["U.E"]
    assert [(entry.number, entry.unit_code) for entry in invalid] == [
        (1, "U.A"), (2, "U.B"), (3, "U.C"), (4, "U.D"), (6, None)]
    problems = {entry.number: entry.problems for entry in invalid}
    assert problems[1] == problems[2] == (
        f"{sources}: unit U.X: carried by feeds U.A and U.B on overlapping days "
        "(carries must not overlap)",)
    assert problems[3] == (f"{sources}: unit U.C, encoding: unknown encoding 'latin-9000'",)
    assert problems[4] == (f"{sources}: unit U.D (entry 4), kind: 'ftp' is not one of "
                           "['api', 'csv', 'xlsx']",)
    with pytest.raises(IngestError, match="unit_code"):
        load_registry(tmp_path)  # a run refuses the file while any entry is wrong

"""The reference files: units, procedures, calendar, sources.yml and appraisal scores."""
from __future__ import annotations

import csv
import itertools
from collections import Counter, defaultdict
from datetime import date, timedelta

import yaml


def _rows(sample, name: str) -> list[dict[str, str]]:
    with open(sample.data_dir / "reference" / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_units_form_a_province(sample):
    units = _rows(sample, "units.csv")
    by_code = {u["unit_code"]: u for u in units}
    kinds = Counter(u["unit_kind"] for u in units)
    assert 18 <= kinds["DEPARTMENT"] <= 22 and 13 <= kinds["DISTRICT"] <= 17
    for unit in units:
        if unit["unit_kind"] == "COMMUNE":
            assert by_code[unit["parent_code"]]["unit_kind"] == "DISTRICT"
    communes = Counter(u["parent_code"] for u in units if u["unit_kind"] == "COMMUNE")
    assert all(3 <= n <= 6 for n in communes.values()) and len(communes) == kinds["DISTRICT"]
    merged = [u for u in units if u["successor_code"]]
    assert len(merged) == 1 and merged[0]["valid_to"].startswith("2025-")
    assert by_code[merged[0]["successor_code"]]["valid_to"] == ""
    assert any(u["valid_from"] == "2024-07-01" for u in units)
    names = " ".join(u["unit_name"] for u in units)
    assert "Sở Tư pháp" in names and "UBND huyện Yên Thủy" in names and "UBND phường Mạo Khê" in names


def test_procedures_change_over_time(sample):
    procedures = _rows(sample, "procedures.csv")
    versions = defaultdict(list)
    for row in procedures:
        versions[row["procedure_code"]].append(row)
    assert 35 <= len(versions) <= 70
    assert {r["online_level"] for r in procedures} == {"FULL", "PARTIAL", "NONE"}
    assert any(r["statutory_days"] == "0" for r in procedures)
    changed = [rows for rows in versions.values() if len(rows) > 1]
    assert any(len({r["statutory_days"] for r in rows}) > 1 for rows in changed)
    assert any(len({r["online_level"] for r in rows}) > 1 for rows in changed)
    for rows in changed:
        rows.sort(key=lambda r: r["valid_from"])
        for earlier, later in itertools.pairwise(rows):
            assert earlier["valid_to"] and earlier["valid_to"] < later["valid_from"]


def test_calendar_covers_the_years_with_make_up_saturdays(sample):
    rows = {date.fromisoformat(r["date"]): r["kind"] for r in _rows(sample, "calendar.csv")}
    assert {d.year for d in rows} >= {2024, 2025}
    assert rows[date(2024, 5, 4)] == rows[date(2025, 4, 26)] == "WORKDAY"
    assert rows[date(2024, 4, 29)] == rows[date(2025, 5, 2)] == "HOLIDAY"
    tet_2025 = [date(2025, 1, 27) + timedelta(days=n) for n in range(5)]
    assert all(rows[d] == "HOLIDAY" for d in tet_2025)
    assert all(d.weekday() >= 5 for d, kind in rows.items() if kind == "WORKDAY")


def test_every_unit_in_force_has_exactly_one_feed_each_day(sample):
    sources = yaml.safe_load((sample.data_dir / "reference" / "sources.yml").read_text("utf-8"))
    spans = defaultdict(list)
    for feed in sources["sources"]:
        if feed["kind"] == "api":
            assert feed["base_url"] == f"http://127.0.0.1:18080/{feed['unit_code']}"
            assert feed["token_env"] == "SAMPLE_API_TOKEN_" + feed["unit_code"].replace(".", "_")
        else:
            assert (sample.data_dir / feed["path"]).is_dir()
        own = (feed["unit_code"], feed.get("valid_from"), feed.get("valid_to"))
        carried = [(c, None, None) if isinstance(c, str)
                   else (c["unit_code"], c.get("valid_from"), None)
                   for c in feed.get("carries", [])]
        for unit, start, end in (own, *carried):
            spans[unit].append((start or date.min, end or date.max))
    kinds = Counter(f["kind"] for f in sources["sources"])
    assert kinds["api"] >= 3 and kinds["csv"] >= 10 and kinds["xlsx"] >= 4
    for unit in _rows(sample, "units.csv"):
        first = max(date.fromisoformat(unit["valid_from"]), date(2024, 1, 1))
        last = min(date.fromisoformat(unit["valid_to"] or "2025-12-31"), date(2025, 12, 31))
        for day in (first + timedelta(days=n) for n in range((last - first).days + 1)):
            covering = [s for s in spans[unit["unit_code"]] if s[0] <= day <= s[1]]
            assert len(covering) == 1, (unit["unit_code"], day, covering)


def test_appraisal_scores_stay_in_range(sample):
    scores = defaultdict(dict)
    for row in _rows(sample, "appraisal.csv"):
        scores[(row["year"], row["unit_code"])][row["criterion_code"]] = float(row["score"])
    assert {year for year, _ in scores} == {"2024", "2025"}
    for criteria in scores.values():
        survey, satisfaction = criteria.pop("SURVEY"), criteria.pop("SATISFACTION_PCT")
        criteria.pop("TTHC_ON_TIME", None)
        assert 0 <= survey <= 10 and 0 <= satisfaction <= 100
        assert len(criteria) >= 5 and sum(criteria.values()) <= 60
    assert ("2025", "H99.S02") not in scores and ("2024", "H99.S02") in scores


def test_organisation_names_the_publisher(sample):
    from reports.organisation import load_organisation

    organisation = load_organisation(sample.data_dir)
    assert organisation.province_name == "Hải Hà"
    assert organisation.signatory_name == "Nguyễn Văn Mẫu"

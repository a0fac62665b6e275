"""#11 item 6: `make docs` — marts with Vietnamese labels, the inspection pack, dbt's site."""
from __future__ import annotations

import html

import pytest

from cchc import inspection
from cchc_app import docs


@pytest.fixture(scope="module")
def built(warehouse_dsn, tmp_path_factory):
    out = tmp_path_factory.mktemp("docs")
    return docs.build_docs(warehouse_dsn, out), out


def test_every_marts_column_is_described_and_labelled_in_vietnamese(built):
    _index, out = built
    models = docs.marts_models(out / "dbt" / "manifest.json")
    assert {"fct_cases", "mart_on_time", "mart_overdue_cases", "dim_units"} <= {m["name"] for m in models}
    undocumented = [f"{m['name']}.{c['name']}" for m in models for c in m["columns"]
                    if not c["description"].strip() or not c["label"].strip()]
    assert undocumented == []


def test_the_marts_page_shows_each_table_with_its_labels(built):
    index, out = built
    page = index.read_text(encoding="utf-8")
    for model in docs.marts_models(out / "dbt" / "manifest.json"):
        assert f'id="{model["name"]}"' in page
        for column in model["columns"]:
            assert html.escape(column["label"]) in page, (model["name"], column["name"])
    assert "Tổng số hồ sơ tiếp nhận (3)" in page


def test_the_pack_has_a_page_per_question_and_dbt_its_site(built):
    _index, out = built
    queries = inspection.load_pack()
    assert len(queries) == 5
    listing = (out / "inspection" / "index.html").read_text(encoding="utf-8")
    for query in queries:
        page = (out / "inspection" / f"{query.name}.html").read_text(encoding="utf-8")
        assert html.escape(query.title) in page and html.escape(query.title) in listing
        assert all(html.escape(label) in page for label in query.columns.values())
    assert (out / "dbt" / "static_index.html").stat().st_size > 10_000

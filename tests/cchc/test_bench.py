"""`make bench`'s smoke run: a small generated province through every measured step."""
from __future__ import annotations

import json

from cchc.settings import state_dir
from cchc_app import bench

#: The object of issue 12, section by section; every figure is measured, so positive.
SHAPE = {
    "ingest": ("rows", "seconds", "rows_per_s", "copy_rows_per_s", "to_sql_rows_per_s",
               "ratio_to_copy", "ratio_to_to_sql", "peak_rss_mb"),
    "dbt_full": ("seconds", "peak_rss_mb"),
    "dbt_daily": ("seconds",),
    "report": ("seconds", "peak_rss_mb"),
}


def test_bench_appends_one_object_in_the_issue_shape(server_dsn, tmp_path):
    # A results file of its own under .local: benchmarks/results.json holds real runs only.
    out = state_dir() / "bench" / "smoke-results.json"
    before = json.loads(out.read_text(encoding="utf-8")) if out.exists() else []

    figures = bench.run(300, out, state_dir() / "bench" / "cache", work=tmp_path)

    assert json.loads(out.read_text(encoding="utf-8")) == [*before, figures]
    assert figures["cases"] == 300 and figures["machine"]
    assert "commit" in figures  # the checkout's commit, None outside a git clone
    for section, keys in SHAPE.items():
        for key in keys:
            assert figures[section][key] > 0, f"{section}.{key} = {figures[section][key]}"
    ingest = figures["ingest"]
    # Every feed kind landed, and the rates are the rows over the seconds measured.
    assert set(ingest["rows_by_kind"]) == {"api", "csv", "xlsx"}
    assert ingest["rows"] == sum(ingest["rows_by_kind"].values())
    assert abs(ingest["rows_per_s"] - ingest["rows"] / ingest["seconds"]) < 1
    # The held-back day arrived in the daily run and the full build timed its models.
    assert figures["dbt_daily"]["rows"] > 0 and figures["dbt_daily"]["files"] > 0
    assert figures["dbt_full"]["slowest"][0]["node"].startswith("model.")

"""`make docs`: documentation inspectors can browse, as static pages under `<state>/docs/`.

    index.html           the published marts: each table, what it holds, every column with
                         its Vietnamese label (docs/labels_vi.yml) and dbt description
    inspection/*.html    the inspection pack (inspection/*.sql), one page per question
    dbt/static_index.html  dbt's own documentation site (lineage, tests, compiled SQL)

Run: `make docs`, then open `.local/docs/index.html` in a browser (no server needed).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import jinja2
import yaml

from cchc import inspection
from cchc.dbt_runner import run_dbt
from cchc.settings import PROJECT_ROOT, state_dir

LABELS_FILE = PROJECT_ROOT / "docs" / "labels_vi.yml"

_ENV = jinja2.Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
_STYLE = """<style>
body{font-family:"DejaVu Sans",Arial,sans-serif;margin:2em auto;max-width:70em;color:#222}
table{border-collapse:collapse;width:100%;margin:.5em 0 2em}
th,td{border:1px solid #bbb;padding:.3em .5em;text-align:left;vertical-align:top}
th{background:#eef}code,pre{background:#f6f6f6}pre{padding:1em;overflow-x:auto}
</style>"""
_MARTS_PAGE = _ENV.from_string("""<!doctype html><html lang="vi"><head><meta charset="utf-8">
<title>Kho dữ liệu CCHC — tài liệu cho thanh tra</title>""" + _STYLE + """</head><body>
<h1>Kho dữ liệu CCHC — các bảng công bố (schema <code>marts</code>)</h1>
<p>Người thanh tra đọc được các bảng dưới đây bằng tài khoản thuộc nhóm <code>inspector</code>.
Bộ câu hỏi thanh tra: <a href="inspection/index.html">inspection/index.html</a>.
Tài liệu đầy đủ của dbt (phả hệ dữ liệu, kiểm thử): <a href="dbt/static_index.html">dbt/static_index.html</a>.</p>
<ul>{% for m in models %}<li><a href="#{{ m.name }}">marts.{{ m.name }}</a></li>{% endfor %}</ul>
{% for m in models %}
<h2 id="{{ m.name }}">marts.{{ m.name }}</h2>
<p>{{ m.description }}</p>
<table><tr><th>Cột</th><th>Nhãn tiếng Việt</th><th>Kiểu</th><th>Mô tả (dbt)</th></tr>
{% for c in m.columns %}<tr><td><code>{{ c.name }}</code></td><td>{{ c.label }}</td>
<td>{{ c.data_type }}</td><td>{{ c.description }}</td></tr>
{% endfor %}</table>
{% endfor %}</body></html>""")
_PACK_INDEX = _ENV.from_string("""<!doctype html><html lang="vi"><head><meta charset="utf-8">
<title>Bộ câu hỏi thanh tra</title>""" + _STYLE + """</head><body>
<h1>Bộ câu hỏi thanh tra</h1><p><a href="../index.html">← Các bảng công bố</a></p>
<p>Mỗi câu hỏi là một tệp SQL trong thư mục <code>inspection/</code> của kho mã, chạy được
bằng psql: <code>psql "$DSN" -v tham_so=giá_trị … -f inspection/&lt;tệp&gt;.sql</code>.</p>
<table><tr><th>Câu hỏi</th><th>Tài khoản</th><th>Tệp</th></tr>
{% for q in queries %}<tr><td><a href="{{ q.name }}.html">{{ q.title }}</a></td>
<td>{{ q.role }}</td><td><code>inspection/{{ q.name }}.sql</code></td></tr>{% endfor %}
</table></body></html>""")
_PACK_PAGE = _ENV.from_string("""<!doctype html><html lang="vi"><head><meta charset="utf-8">
<title>{{ q.title }}</title>""" + _STYLE + """</head><body>
<p><a href="index.html">← Bộ câu hỏi thanh tra</a></p>
<h1>{{ q.title }}</h1><p>{{ q.question }}</p>
<p>Chạy bằng tài khoản nhóm <code>{{ q.role }}</code>:</p>
<pre>psql "$DSN"{% for p in q.params %} -v {{ p }}=…{% endfor %} -f inspection/{{ q.name }}.sql</pre>
<h2>Tham số</h2><table><tr><th>Tham số</th><th>Ý nghĩa</th></tr>
{% for p, d in q.params.items() %}<tr><td><code>{{ p }}</code></td><td>{{ d }}</td></tr>{% endfor %}
</table>
<h2>Các cột kết quả</h2><table><tr><th>Cột</th><th>Ý nghĩa</th></tr>
{% for c, d in q.columns.items() %}<tr><td><code>{{ c }}</code></td><td>{{ d }}</td></tr>{% endfor %}
</table>
<h2>Câu lệnh</h2><pre>{{ q.sql }}</pre></body></html>""")


def labels() -> dict[str, str]:
    """Vietnamese label of each marts column name."""
    return yaml.safe_load(LABELS_FILE.read_text(encoding="utf-8"))


def marts_models(manifest_path: Path) -> list[dict]:
    """The marts models of a dbt manifest with their columns, each labelled; by name."""
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    names = labels()
    models = []
    for node in manifest["nodes"].values():
        if node["resource_type"] != "model" or node["fqn"][1] != "marts":
            continue
        columns = [{"name": c["name"], "label": names.get(c["name"], ""),
                    "data_type": c.get("data_type") or "", "description": c.get("description", "")}
                   for c in node["columns"].values()]
        models.append({"name": node["name"], "description": node["description"],
                       "columns": columns})
    return sorted(models, key=lambda m: m["name"])


def build_docs(dsn: str, out: Path | None = None) -> Path:
    """Generate every page; return the path of index.html."""
    out = out or state_dir() / "docs"
    dbt_dir = out / "dbt"
    run_dbt(["docs", "generate", "--static"], dsn, target_path=dbt_dir, quiet=True)
    index = out / "index.html"
    index.write_text(_MARTS_PAGE.render(models=marts_models(dbt_dir / "manifest.json")),
                     encoding="utf-8")
    pack_dir = out / "inspection"
    pack_dir.mkdir(parents=True, exist_ok=True)
    queries = inspection.load_pack()
    (pack_dir / "index.html").write_text(_PACK_INDEX.render(queries=queries), encoding="utf-8")
    for query in queries:
        (pack_dir / f"{query.name}.html").write_text(_PACK_PAGE.render(q=query), encoding="utf-8")
    return index


def main() -> int:
    from cchc.settings import warehouse_dsn
    from cchc_app.bootstrap import bootstrap

    # The catalog part of dbt docs reads the warehouse as the transformer; bootstrap first
    # so a fresh checkout has its schemas and logins.
    bootstrap(warehouse_dsn())
    print(build_docs(warehouse_dsn()))
    return 0


if __name__ == "__main__":
    sys.exit(main())

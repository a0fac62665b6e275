"""Render the report's HTML and PDF from one Jinja2 template (templates/report.html.j2),
and the periodic Biểu 06 report's PDF (templates/period.html.j2, same macros and style).

The PDF is the same document rendered with `for_pdf`: xhtml2pdf page frames, absolute
chart paths and the DejaVu fonts shipped with matplotlib embedded (they cover Vietnamese).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import matplotlib
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from xhtml2pdf import pisa
from xhtml2pdf.config.resources import ResourceAccessPolicy

from expectations.severity import reading_of
from reports import bieu06
from reports.charts import Chart
from reports.data import PeriodData, ReportData, nested_unit_codes
from reports.editions import Edition
from reports.figures import describe_key, format_figure
from reports.headlines import headlines
from reports.organisation import Organisation
from reports.periods import Period
from reports.quality import QualityAnnex
from reports.text import (
    LEAGUE_LABELS,
    fmt_date,
    fmt_number,
    fmt_percent,
    fmt_rank_change,
    fmt_score,
    long_date,
    vi_sort_key,
)

TEMPLATE_DIR = Path(__file__).with_name("templates")
FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
FONTS = {
    "regular": FONT_DIR / "DejaVuSans.ttf",
    "bold": FONT_DIR / "DejaVuSans-Bold.ttf",
    "italic": FONT_DIR / "DejaVuSans-Oblique.ttf",
    "bold_italic": FONT_DIR / "DejaVuSans-BoldOblique.ttf",
}
# The restatement log prints this many changes; all of them stay in publish.edition_changes.
MAX_PRINTED_RESTATEMENTS = 300
CHANGE_KIND_LABELS = {"changed": "Thay đổi", "added": "Bổ sung", "removed": "Loại bỏ"}
SEVERITY_LABELS = {"blocking": "Chặn công bố", "warning": "Cảnh báo"}
# Printed width of a chart in the PDF, in points (A4 landscape minus margins is ~730 pt).
PDF_CHART_WIDTH = "700"


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=select_autoescape(enabled_extensions=("html.j2",)),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        num=fmt_number,
        score=fmt_score,
        pct=fmt_percent,
        rank_change=fmt_rank_change,
        date=fmt_date,
        long_date=long_date,
        capitalize_first=lambda text: text[:1].upper() + text[1:],
    )
    return env


def _unit_sections(data: ReportData) -> list[dict]:
    # An unfinished year shows its months up to the cut-off only.
    last_month = data.cutoff_date.month if data.cutoff_date.year == data.year else 12
    sections = []
    for year_row in data.unit_years:
        code = year_row["unit_code"]
        by_month = {r["period_month"]: r for r in data.unit_months.get(code, [])}
        sections.append(
            {
                "name": data.unit_name(code),
                "year": year_row,
                "months": [(m, by_month.get(m)) for m in range(1, last_month + 1)],
                "late_procedures": data.late_procedures.get(code, []),
            }
        )
    return sections


def _restatements(data: ReportData, edition: Edition) -> list[dict]:
    return [
        {
            "description": describe_key(change.figure_key, data.unit_name),
            "previous": format_figure(change.figure_key, change.previous_value),
            "new": format_figure(change.figure_key, change.new_value),
            "kind": CHANGE_KIND_LABELS[change.change_kind],
        }
        for change in edition.changes[:MAX_PRINTED_RESTATEMENTS]
    ]


def _completeness_rows(data: ReportData, annex: QualityAnnex) -> list[tuple[str, list[str]]]:
    rows = [(data.unit_name(code), annex.completeness_marks(code)) for code in annex.completeness]
    return sorted(rows, key=lambda row: vi_sort_key(row[0]))


def _form_context(organisation: Organisation) -> dict:
    """What the shared macros (masthead, Biểu 06, signature) and the stylesheet need."""
    return {
        "organisation": organisation,
        "bieu06_header_rows": bieu06.header_rows(),
        "bieu06_numbers": bieu06.COLUMN_NUMBERS,
        "bieu06_columns": bieu06.COUNT_COLUMNS,
        "fonts": {name: path.as_posix() for name, path in FONTS.items()},
    }


def _context(
    data: ReportData, edition: Edition, annex: QualityAnnex, organisation: Organisation
) -> dict:
    return {
        **_form_context(organisation),
        "year": data.year,
        "issued_on": edition.built_at.date(),
        "cutoff_date": data.cutoff_date,
        "edition": edition,
        "headlines": headlines(data),
        "leagues": [(LEAGUE_LABELS.get(k, k), rows) for k, rows in data.leagues.items()],
        "unit_years": data.unit_years,
        "nested_units": nested_unit_codes(data.unit_years, data.units),
        "totals": bieu06.total_row(data.unit_years),
        "unit_sections": _unit_sections(data),
        "restatements": _restatements(data, edition),
        "restatements_omitted": max(0, len(edition.changes) - MAX_PRINTED_RESTATEMENTS),
        "quality": annex,
        "completeness": _completeness_rows(data, annex),
        "severity_labels": SEVERITY_LABELS,
        "reading_of": reading_of,
        "unit_name": data.unit_name,
        "monthly_summary_rows": bieu06.MONTHLY_SUMMARY_ROWS,
    }


def _render(
    env: Environment, context: dict, chart_paths: list[Chart], out_dir: Path, for_pdf: bool
) -> str:
    # The HTML links charts relative to itself; the PDF renderer needs absolute paths.
    charts = [
        {
            "src": (
                c.path.resolve().as_posix() if for_pdf else c.path.relative_to(out_dir).as_posix()
            ),
            "caption": c.caption,
        }
        for c in chart_paths
    ]
    return env.get_template("report.html.j2").render(
        context,
        charts=charts,
        for_pdf=for_pdf,
        chart_width=PDF_CHART_WIDTH if for_pdf else "100%",
    )


def _write_pdf(html: str, path: Path) -> None:
    # Local reads only: the charts beside the PDF and the fonts shipped with matplotlib.
    policy = ResourceAccessPolicy(
        allow_remote=False, base_dir=path.parent.resolve(), extra_roots=(FONT_DIR,)
    )
    with path.open("wb") as dest:
        status = pisa.CreatePDF(html, dest=dest, encoding="utf-8", resource_policy=policy)
    if status.err:
        raise RuntimeError(f"xhtml2pdf could not render {path}: {status.err} error(s)")


def write_documents(
    data: ReportData,
    edition: Edition,
    annex: QualityAnnex,
    charts: list[Chart],
    organisation: Organisation,
    html_path: Path,
    pdf_path: Path,
) -> None:
    """Write the HTML (charts linked beside it) and the PDF (charts embedded)."""
    env = _environment()
    context = _context(data, edition, annex, organisation)
    html_path.write_text(
        _render(env, context, charts, html_path.parent, for_pdf=False), encoding="utf-8"
    )
    _write_pdf(_render(env, context, charts, html_path.parent, for_pdf=True), pdf_path)


def write_period_pdf(
    period: Period,
    data: PeriodData,
    organisation: Organisation,
    issued_on: dt.date,
    pdf_path: Path,
) -> None:
    """The Biểu 06 report of `period` as a PDF: masthead, the table, signature block."""
    context = {
        **_form_context(organisation),
        "period": period,
        "period_end": min(period.end, data.cutoff_date),
        "issued_on": issued_on,
        "unit_rows": data.unit_rows,
        "nested_units": nested_unit_codes(data.unit_rows, data.units),
        "totals": bieu06.total_row(data.unit_rows),
        "unit_name": data.unit_name,
        "for_pdf": True,
    }
    _write_pdf(_environment().get_template("period.html.j2").render(context), pdf_path)

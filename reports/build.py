"""Build the annual report of a year: HTML, PDF and XLSX from the published marts; and
the Biểu 06 report of a month, quarter, half-year or year: PDF and XLSX.

    build_annual_report(dsn, year, out_dir, quality=None, organisation=None) -> ReportFiles
    build_period_report(dsn, period, out_dir, organisation=None) -> PeriodFiles

One build is one edition (`reports.editions`): the marts are read in a single
repeatable-read snapshot, then the edition is recorded and the files are written from
those rows in one transaction, so a build that fails to write (disk full, no permission)
leaves no edition and no half-written file behind, and says which file and why.
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path

import psycopg

from cchc.dbt_runner import project_version
from reports.charts import draw_charts
from reports.data import read_period_data, read_report_data
from reports.editions import Provenance, record_edition
from reports.figures import published_figures
from reports.organisation import Organisation
from reports.periods import Period
from reports.quality import read_quality_annex
from reports.render import write_documents, write_period_pdf
from reports.xlsx import write_period_workbook, write_workbook


@dataclass(frozen=True)
class ReportFiles:
    html: Path
    pdf: Path
    xlsx: Path
    edition_id: int


def build_annual_report(
    dsn: str,
    year: int,
    out_dir: str | Path,
    quality=None,
    organisation: Organisation | None = None,
) -> ReportFiles:
    """Record a new edition of `year`'s report and write its HTML, PDF and XLSX to `out_dir`.

    `quality` is the quality gate's decision for this build (`GateDecision`: its run and
    the waivers it applied go into the annex); without it the latest quality run is shown.
    `organisation` (reference/organisation.yml) names the publisher and signatory; without
    it the documents say what to fill in.
    """
    organisation = organisation or Organisation()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with psycopg.connect(dsn) as conn:
        # One snapshot for every read, so a dbt run in between cannot mix two loads.
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        with conn.transaction():
            data = read_report_data(conn, year)
            annex = read_quality_annex(conn, year, quality)
            marts_build = _marts_build(conn)
        # Recording sees editions committed meanwhile by a concurrent build of the year
        # (it waits for that build's lock), which a snapshot taken earlier would not.
        conn.isolation_level = psycopg.IsolationLevel.READ_COMMITTED
        with conn.transaction():
            edition = record_edition(
                conn,
                year,
                published_figures(data),
                data.load_ids,
                annex.run_id,
                ", ".join(data.methodology_versions) or None,
                Provenance(tuple(data.deliveries), data.cutoff_date, project_version(),
                           marts_build),
            )
            stem = f"bao-cao-chi-so-cchc-{year}-lan-{edition.edition_no}"
            html_path = out_dir / f"{stem}.html"
            pdf_path = out_dir / f"{stem}.pdf"
            xlsx_path = out_dir / f"{stem}.xlsx"
            writing = out_dir / f"{stem}-bieu-do"
            try:
                charts = draw_charts(data, writing)
                writing = html_path  # write_documents writes the HTML, then the PDF
                write_documents(data, edition, annex, charts, organisation, html_path, pdf_path)
                writing = xlsx_path
                write_workbook(data, edition, organisation, xlsx_path)
            except OSError as error:
                if writing == html_path and html_path.is_file() and html_path.stat().st_size:
                    writing = pdf_path
                # The edition rolls back with this transaction; its half-written files go too.
                _remove_files(out_dir, stem)
                raise ReportWriteError(
                    f"Không ghi được báo cáo năm {year} (lần {edition.edition_no}) vào "
                    f"{error.filename or writing}: {error.strerror or error}. Lần phát hành "
                    "trước và các tệp của nó giữ nguyên; chưa ghi nhận lần phát hành mới. "
                    "Giải phóng chỗ trống hoặc cấp quyền ghi rồi chạy lại.") from error
    return ReportFiles(html_path, pdf_path, xlsx_path, edition.edition_id)


def _marts_build(conn: psycopg.Connection) -> str | None:
    """The run that last built the marts (cchc.marts_lock); the report holds the lease
    while it reads, so no other build changes them meanwhile."""
    row = conn.execute("select built_by from ops.marts_lease").fetchone()
    return row[0] if row else None


@dataclass(frozen=True)
class PeriodFiles:
    pdf: Path
    xlsx: Path


def build_period_report(
    dsn: str, period: Period, out_dir: str | Path, organisation: Organisation | None = None
) -> PeriodFiles:
    """Write the Biểu 06 of `period` (from the monthly mart) as PDF and XLSX to `out_dir`.

    Periodic reports are working documents sent to the People's Committee; the yearly
    report's editions and restatement log are for the index, so none is recorded here.
    """
    organisation = organisation or Organisation()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with psycopg.connect(dsn) as conn:
        data = read_period_data(conn, period.year, period.first_month, period.last_month)
    stem = f"bieu-06-{period.code.lower()}"
    pdf_path = out_dir / f"{stem}.pdf"
    write_period_pdf(period, data, organisation, dt.date.today(), pdf_path)
    xlsx_path = write_period_workbook(period, data, organisation, out_dir / f"{stem}.xlsx")
    return PeriodFiles(pdf_path, xlsx_path)


class ReportWriteError(RuntimeError):
    """The report's files could not be written (disk full, no permission); nothing was
    published."""


def _remove_files(out_dir: Path, stem: str) -> None:
    for path in out_dir.glob(f"{stem}*"):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)

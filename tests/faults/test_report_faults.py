"""A disk-full error while writing the report (issue #13): the previous edition and its
files stay exactly as they were, no edition is recorded, and the error names the file."""
from __future__ import annotations

import hashlib

import psycopg
import pytest

from reports.build import ReportWriteError, build_annual_report
from tests.reports.reports_marts_fixture import build_province

YEAR = 2025


@pytest.fixture(scope="module")
def province_dsn(warehouse_dsn):
    """The reports tests' hand-made province of 2025."""
    return build_province(warehouse_dsn)


def _digests(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _editions(dsn):
    with psycopg.connect(dsn) as conn:
        return conn.execute("select edition_no, figures_hash from publish.editions"
                            " where report_year = %s order by 1", (YEAR,)).fetchall()


def test_disk_full_keeps_the_previous_edition_and_says_what_failed(province_dsn, tmp_path):
    out = tmp_path / "reports"
    first = build_annual_report(province_dsn, YEAR, out)
    before_files, before_editions = _digests(out), _editions(province_dsn)
    # The kernel's own "disk full": every write to /dev/full fails with ENOSPC.
    (out / "bao-cao-chi-so-cchc-2025-lan-2.html").symlink_to("/dev/full")

    with pytest.raises(ReportWriteError) as failed:
        build_annual_report(province_dsn, YEAR, out)

    message = str(failed.value)
    assert "bao-cao-chi-so-cchc-2025-lan-2.html" in message and "No space left on device" in message
    assert "Lần phát hành trước và các tệp của nó giữ nguyên" in message
    assert _editions(province_dsn) == before_editions  # no edition 2 recorded
    assert _digests(out) == before_files  # edition 1 untouched, nothing of edition 2 left
    assert first.html.exists()

    again = build_annual_report(province_dsn, YEAR, out)  # space freed: the next build works
    assert again.html.name == "bao-cao-chi-so-cchc-2025-lan-2.html"
    assert [row[0] for row in _editions(province_dsn)] == [1, 2]

"""One applicant, one key (issue #10 item 6): the same ID number from a CSV file and from a
workbook cell Excel stored as a number gets the same applicant_key.

Real files (tests/ingest/kit), the real ingest, then `dbt build` of the staging model.
The expected keys are HMAC-SHA256 of the spelling worked out by hand, computed here with
Python's hmac, apart from the SQL.
"""
from __future__ import annotations

import hashlib
import hmac
import os

import pytest

from cchc.dbt_runner import run_dbt
from ingest.pipeline import ingest_feed, load_reference
from tests.ingest.kit import case, dsn, query, write_csv, write_reference, write_workbook  # noqa: F401

pytestmark = pytest.mark.slow

DEV_KEY = "cchc-dev-key-not-for-production"


def _key(spelling: str) -> str:
    secret = os.environ.get("CCHC_APPLICANT_KEY", DEV_KEY).encode()
    return hmac.new(secret, spelling.encode(), hashlib.sha256).hexdigest()


def _workbook_row(code: str, applicant_type: str, id_cell: object) -> list:
    return [code, "T.D01.X01", "1.001612", "Trực tiếp", "08/01/2024 09:00", "08/01/2024 17:00",
            None, None, "Đang xử lý", applicant_type, id_cell, "Trần Thị Bình", "0912345678",
            None, None, None, "08/01/2024 10:00"]


def test_same_id_from_csv_and_a_numeric_workbook_cell_has_one_key(dsn, tmp_path):  # noqa: F811
    data_dir = write_reference(tmp_path / "data")
    write_csv(data_dir / "landing/T.S01", "hoso_20240103.csv", [
        # A CCCD as text, with its leading zero (the province code 031).
        case("CSV-CCCD", **{"Số giấy tờ": "031099001234"}),
        # The same CCCD typed with spaces: the same applicant.
        case("CSV-SPACED", **{"Số giấy tờ": " 031 099 001 234 "}),
        # An organisation's tax code, and a branch written with a dash.
        case("CSV-TAX", **{"Loại chủ hồ sơ": "Tổ chức", "Số giấy tờ": "0100109106"}),
        case("CSV-BRANCH", **{"Loại chủ hồ sơ": "Tổ chức", "Số giấy tờ": "0100109106-001"}),
        # An old 9-digit CMND.
        case("CSV-CMND", **{"Số giấy tờ": "012345678"}),
    ])
    write_workbook(data_dir / "landing/T.D01.X01/BaoCao_HoSo_2024_01.xlsx", [
        # Excel stored the numbers: 031099001234 -> 31099001234 (11 digits), the tax code
        # 0100109106 -> 100109106 (9), the branch 0100109106001 -> 100109106001 (12), the
        # CMND 012345678 -> 12345678 (8).
        _workbook_row("XLSX-CCCD", "Công dân", 31099001234),
        _workbook_row("XLSX-TAX", "Tổ chức", 100109106),
        _workbook_row("XLSX-BRANCH", "Tổ chức", 100109106001),
        _workbook_row("XLSX-CMND", "Công dân", 12345678),
        # A 9-digit number of a citizen is a whole CMND: nothing is added.
        _workbook_row("XLSX-OTHER", "Công dân", 123456789),
    ])
    load_reference(dsn, data_dir)
    for feed in ("T.S01", "T.D01.X01"):
        ingest_feed(dsn, data_dir, feed)

    run_dbt(["build", "--select", "+stg_raw__cases"], dsn, {"report_year": 2024},
            target_path=tmp_path / "target", quiet=True)

    keys = dict(query(dsn, "select case_code, applicant_key from staging.stg_raw__cases"))
    assert keys == {
        "CSV-CCCD": _key("031099001234"), "CSV-SPACED": _key("031099001234"),
        "XLSX-CCCD": _key("031099001234"),
        "CSV-TAX": _key("0100109106"), "XLSX-TAX": _key("0100109106"),
        "CSV-BRANCH": _key("0100109106001"), "XLSX-BRANCH": _key("0100109106001"),
        "CSV-CMND": _key("012345678"), "XLSX-CMND": _key("012345678"),
        "XLSX-OTHER": _key("123456789"),
    }

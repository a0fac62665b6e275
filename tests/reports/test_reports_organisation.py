"""The publisher in the documents: reference/organisation.yml (sources.md §1).

With the file the masthead, document number and signature carry its values; without it
the documents say which key to fill in where a blank would otherwise be printed.
"""

from __future__ import annotations

import openpyxl
import pymupdf
import pytest

from reports.build import build_annual_report
from reports.organisation import Organisation, OrganisationError, load_organisation

ORGANISATION_YML = """\
province_name: Hải Hà
department_name: Sở Nội vụ
signatory_title: Giám đốc
signatory_name: Trần Thị Bình
document_prefix: BC-SNV
"""


def _pdf_text(path) -> str:
    with pymupdf.open(path) as doc:
        return " ".join(" ".join(page.get_text().split()) for page in doc)


def _sheet_text(path, sheet: str) -> str:
    ws = openpyxl.load_workbook(path)[sheet]
    return " ".join(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("data")
    (folder / "reference").mkdir()
    (folder / "reference" / "organisation.yml").write_text(ORGANISATION_YML, encoding="utf-8")
    return folder


def test_file_is_read_and_normalised(data_dir):
    organisation = load_organisation(data_dir)
    assert organisation.province_name == "Hải Hà"
    assert organisation.upper("signatory_title") == "GIÁM ĐỐC"


def test_missing_file_leaves_every_key_to_fill_in(tmp_path):
    organisation = load_organisation(tmp_path)
    assert organisation == Organisation()
    assert organisation.text("signatory_name") == (
        "[điền signatory_name trong reference/organisation.yml]")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("province_name: Hải Hà\nprovince: Hải Hà\n", "key province: unknown key"),
        ("signatory_name: 42\n", "key signatory_name: value 42 must be non-empty text"),
        ("document_prefix: ''\n", "key document_prefix: value '' must be non-empty text"),
        ("- Hải Hà\n", "must be a mapping of keys to text"),
        ("province_name: [Hải\n", "cannot be read"),
    ],
)
def test_invalid_file_names_the_file_and_the_key(tmp_path, content, message):
    (tmp_path / "reference").mkdir()
    (tmp_path / "reference" / "organisation.yml").write_text(content, encoding="utf-8")
    with pytest.raises(OrganisationError) as raised:
        load_organisation(tmp_path)
    assert message in str(raised.value)
    assert str(tmp_path / "reference" / "organisation.yml") in str(raised.value)


def test_documents_carry_the_publisher(province_dsn, data_dir, tmp_path):
    files = build_annual_report(
        province_dsn, 2025, tmp_path, organisation=load_organisation(data_dir)
    )
    text = _pdf_text(files.pdf)
    for phrase in ("UBND TỈNH HẢI HÀ", "SỞ NỘI VỤ", "/BC-SNV", "GIÁM ĐỐC", "Trần Thị Bình"):
        assert phrase in text, phrase
    assert "[điền" not in text
    sheet = _sheet_text(files.xlsx, "Biểu 06")
    assert "GIÁM ĐỐC" in sheet and "Trần Thị Bình" in sheet and "NGƯỜI LẬP BIỂU" in sheet


def test_documents_without_the_file_say_what_to_fill_in(province_dsn, tmp_path):
    files = build_annual_report(province_dsn, 2025, tmp_path / "out")
    text = _pdf_text(files.pdf)
    assert "UBND TỈNH [điền province_name trong reference/organisation.yml]" in text
    for key in ("department_name", "document_prefix", "signatory_title", "signatory_name"):
        assert f"[điền {key} trong reference/organisation.yml]" in text, key
    assert "[điền signatory_name" in _sheet_text(files.xlsx, "Biểu 06")

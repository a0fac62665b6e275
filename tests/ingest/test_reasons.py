"""Quarantine reasons are sentences, in Vietnamese and English, for each kind of problem
(issue #19); the expected texts below are written out by hand from the row given."""
from __future__ import annotations

import pytest

from ingest.mapping import Refs, clean, map_case_row
from ingest.pipeline import ingest_feed, load_reference
from ingest.problems import QUOTE_CHARS, RowProblem
from ingest.sources.api import map_record
from tests.ingest.kit import api_record, case, query, write_csv

REFS = Refs(frozenset({"T.S01", "T.A01"}), frozenset({"2.000488"}))


def _reasons(row: dict[str, str]) -> tuple[str, str, str]:
    with pytest.raises(RowProblem) as caught:
        map_case_row({h: clean(v) for h, v in row.items()}, REFS)
    return caught.value.reason_code, caught.value.reason_vi, caught.value.reason_en


@pytest.mark.parametrize(("changes", "code", "vi", "en"), [
    ({"Ngày tiếp nhận": "31/02/2024 08:00"}, "unparseable_date",
     ("Cột 'Ngày tiếp nhận': '31/02/2024 08:00' không phải ngày giờ hợp lệ"
      " (định dạng dd/MM/yyyy HH:mm)."),
     ("Field 'Ngày tiếp nhận': '31/02/2024 08:00' is not a valid date and time"
      " (format dd/MM/yyyy HH:mm).")),
    ({"Mã đơn vị": "T.X99"}, "unknown_unit",
     "Cột 'Mã đơn vị': mã đơn vị 'T.X99' không có trong danh mục đơn vị (units.csv).",
     "Field 'Mã đơn vị': unit code 'T.X99' is not in the list of units (units.csv)."),
    ({"Mã TTHC": "9.999999"}, "unknown_procedure",
     "Cột 'Mã TTHC': mã TTHC '9.999999' không có trong danh mục thủ tục (procedures.csv).",
     ("Field 'Mã TTHC': procedure code '9.999999' is not in the list of procedures"
      " (procedures.csv).")),
    ({"Trạng thái": "Đang chờ"}, "bad_value",
     "Cột 'Trạng thái': giá trị 'Đang chờ' không thuộc danh sách giá trị được phép.",
     "Field 'Trạng thái': 'Đang chờ' is not one of the allowed values."),
    ({"Ngày cập nhật": "  "}, "missing_value",
     "Cột 'Ngày cập nhật' là bắt buộc nhưng để trống.",
     "Field 'Ngày cập nhật' is required but empty."),
])
def test_each_problem_reads_as_a_sentence_in_both_languages(changes, code, vi, en):
    assert _reasons(case(**changes)) == (code, vi, en)


def test_a_long_value_is_cut_in_the_sentence_but_kept_whole():
    # 100 × "9": the sentence quotes the first QUOTE_CHARS (80) and an ellipsis.
    problem = map_record(api_record("A-1", "2024-01-15T10:00:00+07:00", MaTTHC="9" * 100),
                         1, REFS).problem
    assert problem.value == "9" * 100
    assert problem.reason_en == (f"Field 'MaTTHC': procedure code '{'9' * QUOTE_CHARS}…' is"
                                 " not in the list of procedures (procedures.csv).")


def test_a_row_with_fields_missing_says_how_many(dsn, data_dir):
    folder = data_dir / "landing/T.S01"
    path = write_csv(folder, "hoso_20240103.csv", [case("F-1"), case("F-2")])
    lines = path.read_bytes().split(b"\r\n")
    lines[2] = b";".join(lines[2].split(b";")[:15])    # F-2 cut after its 15th field
    path.write_bytes(b"\r\n".join(lines))
    load_reference(dsn, data_dir)

    ingest_feed(dsn, data_dir, "T.S01")

    assert query(dsn, "select line_no, field, value, reason_code, reason_vi, reason_en"
                      " from raw.quarantine") == [
        (3, "(columns)", "15", "too_few_fields",
         ("Dòng chỉ có 15 trường nhưng dòng tiêu đề có 17 cột; dòng bị thiếu trường hoặc bị"
          " ngắt giữa chừng."),
         ("The row has only 15 fields but the header has 17 columns; fields are missing or"
          " the line was broken."))]

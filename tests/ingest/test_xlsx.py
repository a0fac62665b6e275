"""Kind xlsx: monthly workbooks in their vendor variants."""
from __future__ import annotations

from datetime import UTC, date, datetime

from ingest.pipeline import ingest_feed, load_reference
from tests.ingest.kit import CASE_HEADER, deliveries, query, write_workbook

FOLDER = "landing/T.D01.X01"


def _row(code: str, received, updated, *, phone: bool = True, status: str = "Đang xử lý"):
    row = [code, "T.D01.X01", "1.001612", "Trực tiếp", received, "10/01/2024 17:00", None,
           None, status, "Công dân", "031099001234", "Trần Thị Bình", "0912345678", None,
           None, None, updated]
    if not phone:
        del row[12]
    return row


def test_workbook_variants_load_cases_and_events(dsn, data_dir):
    # A summary sheet first, a longer title block, no phone column, Excel and text dates.
    header = [h for h in CASE_HEADER if h != "Số điện thoại"]
    write_workbook(
        data_dir / FOLDER / "BaoCao_HoSo_2024_01.xlsx",
        [_row("X01-1", datetime(2024, 1, 8, 7, 36), "08/01/2024 09:00", phone=False),
         _row("X01-2", "09/01/2024 14:05", datetime(2024, 1, 9, 15, 0), phone=False)],
        [["X01-1", "Tạm dừng", datetime(2024, 1, 8, 10, 0), None, None, "Chờ xác minh"]],
        header=header, title_rows=5, summary_sheet=True)
    load_reference(dsn, data_dir)

    [outcome] = ingest_feed(dsn, data_dir, "T.D01.X01")

    # 2 cases + 1 event read; title block, header and total row are not rows.
    assert (outcome.rows_read, outcome.rows_loaded, outcome.rows_quarantined) == (3, 3, 0)
    assert query(dsn, "select delivery_day, record_kind from raw.deliveries"
                      " where source_kind = 'xlsx'") == [(date(2024, 1, 31), "cases_and_events")]
    assert query(dsn, "select case_code, received_at, applicant_phone, updated_at, record_no"
                      " from raw.case_snapshots order by case_code") == [
        ("X01-1", datetime(2024, 1, 8, 0, 36, tzinfo=UTC), None,
         datetime(2024, 1, 8, 2, 0, tzinfo=UTC), 7),
        ("X01-2", datetime(2024, 1, 9, 7, 5, tzinfo=UTC), None,
         datetime(2024, 1, 9, 8, 0, tzinfo=UTC), 8),
    ]
    assert query(dsn, "select case_code, event_type, event_at from raw.case_events") == [
        ("X01-1", "TAM_DUNG", datetime(2024, 1, 8, 3, 0, tzinfo=UTC))]


def test_resent_month_supersedes_and_identical_is_a_no_op(dsn, data_dir):
    path = data_dir / FOLDER / "BaoCao_HoSo_2024_02.xlsx"
    write_workbook(path, [_row("X01-3", "01/02/2024 08:00", "01/02/2024 08:30")])
    load_reference(dsn, data_dir)
    ingest_feed(dsn, data_dir, "T.D01.X01")
    assert ingest_feed(dsn, data_dir, "T.D01.X01") == []
    write_workbook(path, [_row("X01-3", "01/02/2024 08:00", "02/02/2024 10:00",
                               status="Đã trả kết quả"),
                          _row("X01-4", "05/02/2024 08:00", "05/02/2024 08:30")])

    ingest_feed(dsn, data_dir, "T.D01.X01")

    assert deliveries(dsn, "T.D01.X01") == [
        ("BaoCao_HoSo_2024_02.xlsx", "superseded", 1, 1, 0),
        ("BaoCao_HoSo_2024_02.xlsx", "loaded", 2, 2, 0),
    ]

"""The one reviewed place that says which checks stop the annual report.

A `blocking` failure closes the gate (`expectations.gate.assert_open`) unless a waiver
covers it; a `warning` is recorded and printed but lets the report through. Changing a
line here changes what the province may publish: each entry says why it is what it is.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["blocking", "warning"]


@dataclass(frozen=True)
class Rule:
    """The severity of one check and the reason it has that severity."""

    severity: Severity
    reason: str


SEVERITIES: dict[str, Rule] = {
    # raw layer (ingest boundary)
    "raw.deliveries.quarantine_share": Rule(
        "warning",
        "the loaded rows are still right; a high share is a vendor problem to chase",
    ),
    "raw.case_snapshots.required_fields": Rule(
        "blocking",
        "a snapshot without code, unit, procedure, status or update time cannot be placed",
    ),
    "raw.case_snapshots.known_unit": Rule(
        "blocking",
        "a case of an unknown unit would be counted for nobody in the index",
    ),
    "raw.case_snapshots.known_procedure": Rule(
        "blocking",
        "without a catalogue procedure there is no time limit, hence no due date",
    ),
    "raw.case_snapshots.duplicate_case_in_delivery": Rule(
        "warning",
        "allowed by the feed contract (newest row wins) but a sign of a vendor bug",
    ),
    # staging (what every mart is built from)
    "staging.stg_raw__cases.receipt_not_after_terminal": Rule(
        "blocking",
        "a case finished before it was received has wrong dates and wrong timeliness",
    ),
    "staging.stg_raw__cases.appointment_not_before_receipt": Rule(
        "blocking",
        "an appointment before receipt makes the case late by construction",
    ),
    "staging.stg_raw__cases.calendar_covers_case_years": Rule(
        "blocking",
        "rules.md §1: working days of a year the calendar lacks are an error, not a guess",
    ),
    # marts (before publishing)
    "marts.fct_cases.calendar_covers_computed_dates": Rule(
        "blocking",
        "rules.md §1: a due date past the calendar is not computed, so the case has no "
        "timeliness and every rate it belongs to is wrong",
    ),
    "marts.fct_cases.procedure_version_nearest": Rule(
        "warning",
        "sources.md §3 allows the nearest version; the due date may differ from the one "
        "in force, so the cases are listed for the vendor to correct",
    ),
    "marts.fct_cases.terminal_date_fallback": Rule(
        "warning",
        "rules.md §2 allows NgayTra / NgayCapNhat in place of NgayKetThucXuLy, flagged: the "
        "timeliness may be judged on a later date than the real end of processing",
    ),
    "marts.mart_on_time.bieu06_identities": Rule(
        "blocking",
        "Biểu 06 identities are the form's own arithmetic; a broken row is a wrong report",
    ),
    "marts.mart_on_time_yearly.bieu06_identities": Rule(
        "blocking",
        "the yearly Biểu 06 feeds the index directly; a broken identity is a wrong score",
    ),
    "marts.mart_on_time.period_continuity": Rule(
        "blocking",
        "rules.md §6: what is pending at a month's end is what the next month carries over",
    ),
    "marts.mart_on_time_yearly.period_continuity": Rule(
        "blocking",
        "a year's pending cases that vanish from next year's carried over were never counted",
    ),
    "marts.mart_on_time.rates_in_range": Rule(
        "blocking",
        "a rate outside 0–100 % is a computation error, not a measurement",
    ),
    "marts.mart_on_time_yearly.rates_in_range": Rule(
        "blocking",
        "TTHC_ON_TIME is scored from this rate; out of range it scores nonsense",
    ),
    "marts.mart_online_service_rate.rates_in_range": Rule(
        "blocking",
        "a rate outside 0–100 % is a computation error, not a measurement",
    ),
    "marts.mart_online_service_rate_yearly.rates_in_range": Rule(
        "blocking",
        "the DVC_* criteria are scored from these rates; out of range they score nonsense",
    ),
    "marts.mart_on_time_yearly.units_covered": Rule(
        "blocking",
        "a unit in force missing from the year's table would be ranked on no data",
    ),
    "marts.mart_par_index_criteria.appraisal_score_missing": Rule(
        "blocking",
        "a missing appraisal score scores 0 points: the unit's total and rank would be "
        "published wrong; waive it only when the council really gave no score",
    ),
    "marts.mart_par_index_criteria.appraisal_score_in_range": Rule(
        "blocking",
        "a score outside 0 to the criterion's maximum is a data-entry error that moves "
        "the unit's total and rank",
    ),
    # completeness (deliveries against sources.yml)
    "quality.completeness.monthly_deliveries": Rule(
        "blocking",
        "a unit missing a month of deliveries would be scored on part of its cases",
    ),
}


def severity_of(check: str) -> Severity:
    """The severity of `check`; an unlisted check is a programming error, not a warning."""
    try:
        return SEVERITIES[check].severity
    except KeyError:
        raise KeyError(f"check {check!r} has no severity in expectations/severity.py") from None


@dataclass(frozen=True)
class Reading:
    """How the quality annex of the report presents a check to a department head.

    `title` names the check in Vietnamese; `failing` is one sentence on what a failure
    means for the figures; `if_warning` (warnings only) says what was loaded anyway and
    why the report may still be published.
    """

    title: str
    failing: str
    if_warning: str = ""


#: One entry per check of SEVERITIES (tests/expectations/test_suites.py holds them equal).
READINGS: dict[str, Reading] = {
    "raw.deliveries.quarantine_share": Reading(
        "Tỷ lệ dòng dữ liệu bị cách ly",
        "Một phần đáng kể dữ liệu đơn vị gửi bị cách ly vì sai định dạng hoặc thiếu thông tin.",
        "Các dòng hợp lệ đã được nạp và tính đúng; dòng bị cách ly được lưu lại để đơn vị "
        "gửi lại, không bị tính sai vào số liệu.",
    ),
    "raw.case_snapshots.required_fields": Reading(
        "Hồ sơ có đủ các trường bắt buộc",
        "Có hồ sơ thiếu mã hồ sơ, đơn vị, thủ tục, trạng thái hoặc thời điểm cập nhật nên "
        "không xác định được thuộc về đâu.",
    ),
    "raw.case_snapshots.known_unit": Reading(
        "Mã đơn vị của hồ sơ có trong danh mục",
        "Có hồ sơ mang mã đơn vị không có trong danh mục, sẽ không được tính cho đơn vị nào.",
    ),
    "raw.case_snapshots.known_procedure": Reading(
        "Mã thủ tục của hồ sơ có trong danh mục",
        "Có hồ sơ mang mã thủ tục không có trong danh mục, nên không có thời hạn giải quyết "
        "để xác định đúng hạn hay quá hạn.",
    ),
    "raw.case_snapshots.duplicate_case_in_delivery": Reading(
        "Hồ sơ lặp lại trong cùng một lần giao",
        "Phần mềm của đơn vị gửi cùng một hồ sơ nhiều lần trong một lần giao dữ liệu.",
        "Mỗi hồ sơ chỉ được tính một lần theo trạng thái cập nhật mới nhất, đúng quy ước trao "
        "đổi dữ liệu; đây là lỗi phần mềm cần đề nghị nhà cung cấp khắc phục.",
    ),
    "staging.stg_raw__cases.receipt_not_after_terminal": Reading(
        "Ngày tiếp nhận không sau ngày kết thúc xử lý",
        "Có hồ sơ kết thúc trước khi được tiếp nhận, nên ngày tháng và kết quả đúng hạn sai.",
    ),
    "staging.stg_raw__cases.appointment_not_before_receipt": Reading(
        "Ngày hẹn trả không trước ngày tiếp nhận",
        "Có hồ sơ hẹn trả trước ngày tiếp nhận, nên bị tính quá hạn một cách vô lý.",
    ),
    "staging.stg_raw__cases.calendar_covers_case_years": Reading(
        "Lịch làm việc có đủ các năm của hồ sơ",
        "Thiếu lịch ngày làm việc, ngày nghỉ của một năm có hồ sơ, nên không tính được hạn "
        "giải quyết.",
    ),
    "marts.fct_cases.calendar_covers_computed_dates": Reading(
        "Lịch làm việc có đủ các năm của mọi ngày tính hạn",
        "Có hồ sơ mà hạn giải quyết rơi vào năm lịch chưa có, nên không xác định được đúng "
        "hạn hay quá hạn và các tỷ lệ chứa hồ sơ đó bị sai.",
    ),
    "marts.fct_cases.procedure_version_nearest": Reading(
        "Hồ sơ tính theo phiên bản thủ tục gần nhất",
        "Có hồ sơ mà danh mục không có phiên bản thủ tục hiệu lực vào ngày tiếp nhận, nên "
        "thời hạn được lấy từ phiên bản gần nhất.",
        "Các hồ sơ này vẫn được tính; thời hạn lấy theo phiên bản thủ tục gần ngày tiếp nhận "
        "nhất, sai lệch nếu có là nhỏ và danh sách mã hồ sơ được gửi đơn vị để bổ sung danh mục.",
    ),
    "marts.fct_cases.terminal_date_fallback": Reading(
        "Hồ sơ thiếu ngày kết thúc xử lý",
        "Có hồ sơ đã kết thúc nhưng không ghi ngày kết thúc xử lý, nên ngày trả kết quả hoặc "
        "ngày cập nhật được dùng thay.",
        "Các hồ sơ này vẫn được tính theo ngày thay thế như quy tắc cho phép; ngày đó không "
        "sớm hơn ngày kết thúc thật nên sai lệch nếu có chỉ theo hướng chặt hơn (không hồ sơ "
        "trễ hạn nào bị tính là đúng hạn), và danh sách mã hồ sơ được gửi đơn vị để bổ sung.",
    ),
    "marts.mart_on_time.bieu06_identities": Reading(
        "Các đẳng thức của Biểu 06 theo tháng",
        "Có dòng Biểu 06 theo tháng mà các cột không cộng khớp với nhau, tức là biểu sai.",
    ),
    "marts.mart_on_time_yearly.bieu06_identities": Reading(
        "Các đẳng thức của Biểu 06 cả năm",
        "Có dòng Biểu 06 cả năm mà các cột không cộng khớp, nên điểm chỉ số tính từ đó sai.",
    ),
    "marts.mart_on_time.period_continuity": Reading(
        "Số hồ sơ chuyển kỳ giữa các tháng",
        "Số hồ sơ đang giải quyết cuối tháng khác số chuyển sang tháng sau, tức là có hồ sơ "
        "bị mất hoặc đếm hai lần.",
    ),
    "marts.mart_on_time_yearly.period_continuity": Reading(
        "Số hồ sơ chuyển kỳ giữa các năm",
        "Số hồ sơ đang giải quyết cuối năm khác số chuyển sang năm sau, tức là có hồ sơ "
        "không được tính.",
    ),
    "marts.mart_on_time.rates_in_range": Reading(
        "Tỷ lệ đúng hạn theo tháng trong khoảng 0–100%",
        "Có tỷ lệ nằm ngoài 0–100%, là lỗi tính toán chứ không phải số đo.",
    ),
    "marts.mart_on_time_yearly.rates_in_range": Reading(
        "Tỷ lệ đúng hạn cả năm trong khoảng 0–100%",
        "Có tỷ lệ nằm ngoài 0–100%, nên điểm tiêu chí giải quyết đúng hạn sai.",
    ),
    "marts.mart_online_service_rate.rates_in_range": Reading(
        "Tỷ lệ dịch vụ công trực tuyến theo tháng trong khoảng 0–100%",
        "Có tỷ lệ nằm ngoài 0–100%, là lỗi tính toán chứ không phải số đo.",
    ),
    "marts.mart_online_service_rate_yearly.rates_in_range": Reading(
        "Tỷ lệ dịch vụ công trực tuyến cả năm trong khoảng 0–100%",
        "Có tỷ lệ nằm ngoài 0–100%, nên điểm các tiêu chí dịch vụ công trực tuyến sai.",
    ),
    "marts.mart_on_time_yearly.units_covered": Reading(
        "Mọi đơn vị đang hoạt động có số liệu cả năm",
        "Có đơn vị đang hoạt động không có dòng số liệu năm, sẽ bị xếp hạng khi không có dữ liệu.",
    ),
    "marts.mart_par_index_criteria.appraisal_score_missing": Reading(
        "Đủ điểm thẩm định của mọi tiêu chí",
        "Có đơn vị được xếp hạng nhưng thiếu điểm thẩm định, điều tra xã hội học hoặc đo lường "
        "sự hài lòng của một tiêu chí, nên tổng điểm và thứ hạng bị tính thiếu.",
    ),
    "marts.mart_par_index_criteria.appraisal_score_in_range": Reading(
        "Điểm thẩm định trong khung điểm của tiêu chí",
        "Có điểm thẩm định âm hoặc vượt điểm tối đa của tiêu chí, là lỗi nhập liệu làm sai "
        "tổng điểm và thứ hạng.",
    ),
    "quality.completeness.monthly_deliveries": Reading(
        "Đơn vị gửi đủ dữ liệu từng tháng",
        "Có đơn vị thiếu dữ liệu của một tháng, nên chỉ được chấm trên một phần hồ sơ.",
    ),
}


def reading_of(check: str) -> Reading:
    """How the annex presents `check`; a check without one still prints, under its id."""
    return READINGS.get(check, Reading(check, ""))

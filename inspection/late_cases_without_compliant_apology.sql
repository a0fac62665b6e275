-- title: Hồ sơ trễ hạn của một đơn vị chưa có phiếu xin lỗi hợp lệ
-- question: Which cases of a unit were late by their dates in a year without a compliant
--   apology letter (issued, at least one working day before the due date, with a reason and
--   a new appointment, and only one)? rules.md §7.
-- role: inspector
-- param unit_code: mã đơn vị tiếp nhận, ví dụ H99.S01
-- param period_year: năm có ngày kết thúc xử lý (hồ sơ còn mở: năm của ngày chốt số liệu)
-- column case_code: Mã hồ sơ
-- column procedure_code: Mã thủ tục hành chính
-- column received_date: Ngày tiếp nhận
-- column due_date: Ngày hẹn trả (cuối cùng)
-- column terminal_date: Ngày kết thúc xử lý (trống khi hồ sơ còn mở)
-- column working_days_overdue: Số ngày làm việc quá hạn
-- column apology_issued: Đã có phiếu xin lỗi hay chưa
-- column holder_unit_at_due: Đơn vị giữ hồ sơ vào ngày hẹn trả
select
    case_code,
    procedure_code,
    received_date,
    due_date,
    terminal_date,
    working_days_overdue,
    apology_issued,
    holder_unit_at_due
from marts.mart_overdue_cases
where unit_code = :'unit_code'
    and apology_required
    and apology_compliant is not true
    and extract(year from coalesce(terminal_date, as_of_date)) = :'period_year'::int
order by due_date, case_code;

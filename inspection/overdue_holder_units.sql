-- title: Đơn vị giữ hồ sơ vào ngày hẹn trả của từng hồ sơ quá hạn
-- question: For every case that ran late or is overdue at the data cut-off, which unit held
--   it on its due date (after inter-agency transfers) — the unit that let it run late?
-- role: inspector
-- param period_year: năm của ngày hẹn trả
-- column case_code: Mã hồ sơ
-- column unit_code: Mã đơn vị tiếp nhận
-- column holder_unit_at_due: Mã đơn vị giữ hồ sơ vào ngày hẹn trả
-- column holder_unit_name: Tên đơn vị giữ hồ sơ vào ngày hẹn trả
-- column due_date: Ngày hẹn trả
-- column terminal_date: Ngày kết thúc xử lý (trống khi hồ sơ còn mở)
-- column working_days_overdue: Số ngày làm việc quá hạn
select
    overdue.case_code,
    overdue.unit_code,
    overdue.holder_unit_at_due,
    holder.unit_name as holder_unit_name,
    overdue.due_date,
    overdue.terminal_date,
    overdue.working_days_overdue
from marts.mart_overdue_cases as overdue
-- The unit's name in force on the due date; a unit merged away before it (which may still
-- hold old cases) by its last name.
left join lateral (
    select u.unit_name from marts.dim_units as u
    where u.unit_code = overdue.holder_unit_at_due
    order by (u.valid_from <= overdue.due_date
              and (u.valid_to is null or u.valid_to >= overdue.due_date)) desc,
             u.valid_from desc
    limit 1
) as holder on true
where extract(year from overdue.due_date) = :'period_year'::int
order by overdue.holder_unit_at_due, overdue.due_date, overdue.case_code;

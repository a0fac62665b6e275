-- title: Hồ sơ có ngày hẹn trả dài hơn thời hạn giải quyết theo quy định
-- question: Which cases a unit received in a year were given an appointment later than the
--   statutory time allows (a padded appointment), and by how many working days?
-- role: inspector
-- param unit_code: mã đơn vị tiếp nhận, ví dụ H99.S01
-- param period_year: năm tiếp nhận hồ sơ
-- column case_code: Mã hồ sơ
-- column procedure_code: Mã thủ tục hành chính
-- column received_date: Ngày tiếp nhận
-- column original_due_date: Ngày hẹn trả ghi trên giấy tiếp nhận
-- column statutory_due_date: Ngày hẹn trả theo thời hạn luật định
-- column padding_working_days: Số ngày làm việc hẹn dài thêm
select
    case_code,
    procedure_code,
    received_date,
    original_due_date,
    statutory_due_date,
    padding_working_days
from marts.fct_cases
where unit_code = :'unit_code'
    and padding_working_days > 0
    and extract(year from received_date) = :'period_year'::int
order by padding_working_days desc, case_code;

-- title: Danh sách hồ sơ tạo nên một ô của Biểu 06 đã công bố
-- question: From one published Biểu 06 cell — unit, period (a year, or a month of it) and
--   column (3)–(13), by number or name (rules.md §6) — which cases make it up? The number
--   of rows equals the cell in marts.mart_on_time(_yearly). Columns (12) and (13) (pending
--   in time / overdue) are listed for the period that ends at the data cut-off, the one
--   the report publishes; for an earlier period they return no rows.
-- role: inspector
-- param unit_code: mã đơn vị tiếp nhận, ví dụ H99.S01
-- param period_year: năm của kỳ báo cáo
-- param period_month: tháng của kỳ báo cáo (1–12); để trống cho cả năm
-- param bieu06_column: cột của Biểu 06: số (3)…(13) hoặc tên, ví dụ 10 hoặc resolved_late
-- column case_code: Mã hồ sơ
-- column bieu06_column: Cột Biểu 06 mà hồ sơ được tính vào (tên cột, rules.md §6)
-- column procedure_code: Mã thủ tục hành chính
-- column channel: Kênh tiếp nhận: DIRECT (trực tiếp), ONLINE (trực tuyến), POSTAL (bưu chính)
-- column received_date: Ngày tiếp nhận
-- column due_date: Ngày hẹn trả (cuối cùng)
-- column terminal_date: Ngày kết thúc xử lý (trống khi hồ sơ còn mở)
-- column timeliness: Kết quả: EARLY (trước hạn), ON_TIME (đúng hạn), LATE (quá hạn)
with

columns (number, name) as (
    values ('3', 'received_total'), ('4', 'received_online'), ('5', 'received_direct_postal'),
           ('6', 'carried_over'), ('7', 'resolved_total'), ('8', 'resolved_early'),
           ('9', 'resolved_on_time'), ('10', 'resolved_late'), ('11', 'pending_total'),
           ('12', 'pending_in_time'), ('13', 'pending_overdue')
),

wanted as (
    select name from columns
    where :'bieu06_column' in (number, name, '(' || number || ')')
),

period as (
    select unit_code, period_start, period_end
    from marts.mart_on_time_yearly
    where unit_code = :'unit_code' and period_year = :'period_year'::int
        and nullif(:'period_month', '') is null
    union all
    select unit_code, period_start, period_end
    from marts.mart_on_time
    where unit_code = :'unit_code' and period_year = :'period_year'::int
        and period_month = nullif(:'period_month', '')::int
),

cases as (
    select fct_cases.*, period.period_start, period.period_end
    from marts.fct_cases
    inner join period on fct_cases.unit_code = period.unit_code
),

-- Open and overdue at the data cut-off (rules.md §5): the mart lists them with as_of_date.
overdue_at_cutoff as (
    select case_code, as_of_date
    from marts.mart_overdue_cases
    where terminal_date is null
),

membership as (
    select case_code, 'received_online' as column_name from cases
    where channel = 'ONLINE' and received_date between period_start and period_end
    union all
    select case_code, 'received_direct_postal' from cases
    where channel <> 'ONLINE' and received_date between period_start and period_end
    union all
    -- Open at the day before the period starts.
    select case_code, 'carried_over' from cases
    where received_date <= period_start - 1
        and (terminal_date is null or terminal_date > period_start - 1)
    union all
    select case_code, 'resolved_total' from cases
    where terminal_date between period_start and period_end
    union all
    select case_code, 'resolved_' || lower(timeliness) from cases
    where terminal_date between period_start and period_end
    union all
    select cases.case_code,
           case when overdue.case_code is null then 'pending_in_time' else 'pending_overdue' end
    from cases
    left join overdue_at_cutoff as overdue on overdue.case_code = cases.case_code
    where cases.received_date <= cases.period_end
        and (cases.terminal_date is null or cases.terminal_date > cases.period_end)
        and cases.period_end = (select max(m.as_of_date) from marts.mart_overdue_cases as m)
),

-- (3) = (4) + (5) + (6); (11) is every case open at the period end, whatever the cut-off.
totals as (
    select case_code, column_name from membership
    union all
    select case_code, 'received_total' from membership
    where column_name in ('received_online', 'received_direct_postal', 'carried_over')
    union all
    select case_code, 'pending_total' from cases
    where received_date <= period_end
        and (terminal_date is null or terminal_date > period_end)
)

select
    cases.case_code,
    totals.column_name as bieu06_column,
    cases.procedure_code,
    cases.channel,
    cases.received_date,
    cases.due_date,
    cases.terminal_date,
    cases.timeliness
from totals
inner join wanted on wanted.name = totals.column_name
inner join cases on cases.case_code = totals.case_code
order by cases.received_date, cases.case_code;

-- title: Danh sách hồ sơ tạo nên một ô của Biểu 06 đã công bố
-- question: From one published Biểu 06 cell — unit, period and column (3)–(13), by number
--   or name (rules.md §6) — which cases make it up? The period is written as in the
--   report (`cchc report --period`): a year 2025, a half-year 2025-H1, a quarter 2025-Q3
--   or a month 2025-07. The number of rows equals the cell: the report adds up a period's
--   months of marts.mart_on_time (flows summed, (6) carried over from the first month,
--   (11)–(13) pending at the last), and the year's equals marts.mart_on_time_yearly.
--   Open cases at a month end come from marts.fct_case_month_ends, which also says
--   whether each was overdue then, so (12) and (13) work for every period. The web app's
--   drill-down runs this same file: the rule is written here only.
-- role: inspector
-- param unit_code: mã đơn vị tiếp nhận, ví dụ H99.S01; để trống cho mọi đơn vị
-- param period: kỳ báo cáo: năm (2025), 6 tháng (2025-H1), quý (2025-Q3) hoặc tháng (2025-07)
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

-- The period's year and part: '2025' -> (2025, ''), '2025-Q3' -> (2025, 'Q3').
period_code as (
    select split_part(upper(:'period'), '-', 1)::int as period_year,
           split_part(upper(:'period'), '-', 2) as part
),

period as (
    select
        period_year,
        case when part = '' then 1
             when part like 'Q_' then 3 * right(part, 1)::int - 2
             when part like 'H_' then 6 * right(part, 1)::int - 5
             else part::int end as first_month,
        case when part = '' then 12
             when part like 'Q_' then 3 * right(part, 1)::int
             when part like 'H_' then 6 * right(part, 1)::int
             else part::int end as last_month
    from period_code
),

-- Each unit's months of the period in the monthly mart (none after the cut-off): the
-- report's cell is made of these.
unit_months as (
    select mart.unit_code, mart.period_year,
           min(mart.period_month) as first_month, max(mart.period_month) as last_month
    from marts.mart_on_time as mart
    inner join period on mart.period_year = period.period_year
        and mart.period_month between period.first_month and period.last_month
    where mart.unit_code = :'unit_code' or nullif(:'unit_code', '') is null
    group by mart.unit_code, mart.period_year
),

bounds as (
    select
        unit_code,
        make_date(period_year, first_month, 1) as period_start,
        (make_date(period_year, last_month, 1) + interval '1 month - 1 day')::date as period_end,
        period_year as end_year,
        last_month as end_month,
        -- The month end before the period: what was carried over into it.
        extract(year from make_date(period_year, first_month, 1) - 1)::int as before_year,
        extract(month from make_date(period_year, first_month, 1) - 1)::int as before_month
    from unit_months
),

cases as (
    select fct_cases.case_code, fct_cases.channel, fct_cases.received_date,
           fct_cases.terminal_date, fct_cases.timeliness, bounds.period_start, bounds.period_end
    from marts.fct_cases
    inner join bounds on fct_cases.unit_code = bounds.unit_code
),

flows as (
    select case_code, 'received_online' as column_name from cases
    where channel = 'ONLINE' and received_date between period_start and period_end
    union all
    select case_code, 'received_direct_postal' from cases
    where channel <> 'ONLINE' and received_date between period_start and period_end
    union all
    select case_code, 'resolved_total' from cases
    where terminal_date between period_start and period_end
    union all
    select case_code, 'resolved_' || lower(timeliness) from cases
    where terminal_date between period_start and period_end
),

-- Open at a month end (the cut-off for the month that contains it), overdue or not then.
stocks as (
    select ends.case_code, 'carried_over' as column_name
    from marts.fct_case_month_ends as ends
    inner join bounds on ends.unit_code = bounds.unit_code
        and ends.period_year = bounds.before_year and ends.period_month = bounds.before_month
    union all
    select ends.case_code, unnest(array[
        'pending_total',
        case when ends.is_overdue then 'pending_overdue' else 'pending_in_time' end])
    from marts.fct_case_month_ends as ends
    inner join bounds on ends.unit_code = bounds.unit_code
        and ends.period_year = bounds.end_year and ends.period_month = bounds.end_month
),

-- (3) = (4) + (5) + (6).
membership as (
    select case_code, column_name from flows
    union all
    select case_code, column_name from stocks
    union all
    select case_code, 'received_total' from flows
    where column_name in ('received_online', 'received_direct_postal')
    union all
    select case_code, 'received_total' from stocks
    where column_name = 'carried_over'
)

select
    fct_cases.case_code,
    membership.column_name as bieu06_column,
    fct_cases.procedure_code,
    fct_cases.channel,
    fct_cases.received_date,
    fct_cases.due_date,
    fct_cases.terminal_date,
    fct_cases.timeliness
from membership
inner join wanted on wanted.name = membership.column_name
inner join marts.fct_cases on fct_cases.case_code = membership.case_code
order by fct_cases.received_date, fct_cases.case_code;

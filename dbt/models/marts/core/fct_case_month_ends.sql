{#- Every month end (or the cut-off, for the current month) at which an accepted case is
    open, with its due date and supplement state there: the cases behind Biểu 06 columns
    (11)-(13) of any month, so that a published "pending overdue" cell can be listed case
    by case (rules.md §5, §6). -#}
with

due_dates as (

    select * from {{ ref('int_cases__due_dates') }}
    where is_open_period_end

),

cases as (

    select * from {{ ref('int_cases__enriched') }}
    where is_accepted

),

final as (

    select
        due_dates.case_code,
        cases.unit_code,
        due_dates.checkpoint_date as period_end_date,
        extract(year from due_dates.checkpoint_date)::int as period_year,
        extract(month from due_dates.checkpoint_date)::int as period_month,
        due_dates.due_date,
        due_dates.awaiting_supplement,
        due_dates.due_date < due_dates.checkpoint_date
            and not due_dates.awaiting_supplement as is_overdue

    from due_dates
    inner join cases
        on due_dates.case_code = cases.case_code

)

select * from final

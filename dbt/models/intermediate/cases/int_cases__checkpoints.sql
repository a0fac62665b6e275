{#- The dates at which an accepted case's due date must be known: its final date (the
    terminal date, or the cut-off while open) and every period end at which it is open.
    Only these dates, not every day: Biểu 06 asks "open at X" and "due at X" for month
    ends only, and a case is open at a handful of them. -#}
{{ incremental_case_config() }}

with

cases as (

    select * from {{ ref('int_cases__enriched') }}
    where is_accepted
        and {{ is_case_to_refresh('case_code') }}

),

period_ends as (

    select
        cases.case_code,
        -- The current, unfinished month ends at the cut-off (rules.md §6).
        least(
            (month_start + interval '1 month - 1 day')::date,
            {{ cutoff_date() }}
        ) as checkpoint_date

    from cases
    cross join lateral generate_series(
        date_trunc('month', cases.received_date),
        date_trunc('month', least({{ cutoff_date() }}, coalesce(cases.terminal_date, {{ cutoff_date() }}))),
        interval '1 month'
    ) as month_start

),

open_period_ends as (

    select period_ends.case_code, period_ends.checkpoint_date
    from period_ends
    inner join cases
        on period_ends.case_code = cases.case_code
    where period_ends.checkpoint_date >= cases.received_date
        and (cases.terminal_date is null or cases.terminal_date > period_ends.checkpoint_date)

),

final_dates as (

    select
        case_code,
        case when is_terminal then terminal_date else {{ cutoff_date() }} end as checkpoint_date
    from cases

),

checkpoints as (

    select
        coalesce(open_period_ends.case_code, final_dates.case_code) as case_code,
        coalesce(open_period_ends.checkpoint_date, final_dates.checkpoint_date) as checkpoint_date,
        final_dates.case_code is not null as is_final,
        open_period_ends.case_code is not null as is_open_period_end

    from open_period_ends
    full outer join final_dates
        on open_period_ends.case_code = final_dates.case_code
        and open_period_ends.checkpoint_date = final_dates.checkpoint_date

),

final as (

    select
        checkpoints.*,
        {{ case_load_marks('cases') }}

    from checkpoints
    inner join cases
        on checkpoints.case_code = cases.case_code

)

select * from final

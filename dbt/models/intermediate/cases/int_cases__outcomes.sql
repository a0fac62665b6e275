{#- One row per accepted case: its final due date and timeliness (rules.md §3-5), and its
    state at the cut-off. -#}
{{ incremental_case_config() }}

with

cases as (

    select * from {{ ref('int_cases__enriched') }}
    where is_accepted
        and {{ is_case_to_refresh('case_code') }}

),

due_dates as (

    select * from {{ ref('int_cases__due_dates') }}
    where {{ is_case_to_refresh('case_code') }}

),

events as (

    select * from {{ ref('stg_raw__case_events') }}
    where {{ is_case_to_refresh('case_code') }}

),

supplement_requests as (

    select case_code, count(*) as supplement_requests
    from events
    where event_type = 'YEU_CAU_BO_SUNG'
    group by case_code

),

judged as (

    select
        cases.case_code,
        final_due.due_date,
        final_due.paused_working_days,
        coalesce(supplement_requests.supplement_requests, 0) as supplement_requests,
        cases.terminal_date > final_due.due_date as is_late_by_date,
        -- Asked for supplements twice or more: late whatever the dates (Decision 766).
        cases.is_terminal
            and cases.multi_supplement_is_late
            and coalesce(supplement_requests.supplement_requests, 0) >= 2 as is_late_by_supplement_rule,
        cases.terminal_date,
        cases.is_terminal,
        at_cutoff.case_code is not null as is_open_at_cutoff,
        at_cutoff.due_date as due_date_at_cutoff,
        at_cutoff.awaiting_supplement as awaiting_supplement_at_cutoff,
        {{ case_load_marks('cases') }}

    from cases as cases
    inner join due_dates as final_due
        on cases.case_code = final_due.case_code
        and final_due.is_final
    left join due_dates as at_cutoff
        on cases.case_code = at_cutoff.case_code
        and at_cutoff.is_open_period_end
        and at_cutoff.checkpoint_date = {{ cutoff_date() }}
    left join supplement_requests
        on cases.case_code = supplement_requests.case_code

),

final as (

    select
        case_code,
        due_date,
        paused_working_days,
        supplement_requests,
        case
            when not is_terminal then null
            -- A due date the calendar cannot compute gives no timeliness (rules.md §1):
            -- the quality gate names the missing years instead of a guess.
            when due_date is null then null
            when is_late_by_date or is_late_by_supplement_rule then 'LATE'
            when terminal_date = due_date then 'ON_TIME'
            else 'EARLY'
        end as timeliness,
        case
            -- Late on a day off just after the due date: late all the same, 0 days.
            when is_late_by_date then {{ workdays_between('due_date', 'terminal_date') }}
            when is_late_by_supplement_rule and due_date is not null then 0
        end as working_days_late,
        coalesce(is_late_by_date, false) as is_late_by_date,
        is_late_by_supplement_rule and due_date is not null and not coalesce(is_late_by_date, false)
            as is_late_only_by_supplement_rule,
        is_open_at_cutoff,
        due_date_at_cutoff,
        is_open_at_cutoff
            and due_date_at_cutoff < {{ cutoff_date() }}
            and not awaiting_supplement_at_cutoff as is_overdue_at_cutoff,
        last_load_id,
        events_load_id,
        reference_load_id,
        judged_at_cutoff

    from judged

)

select * from final

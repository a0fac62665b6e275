{#- Apology letter facts of every accepted case (rules.md §7). Only XIN_LOI events on or
    before the terminal date (the cut-off for an open case) count. -#}
{{ incremental_case_config() }}

with

cases as (

    select * from {{ ref('int_cases__enriched') }}
    where is_accepted
        and {{ is_case_to_refresh('case_code') }}

),

outcomes as (

    select * from {{ ref('int_cases__outcomes') }}
    where {{ is_case_to_refresh('case_code') }}

),

events as (

    select * from {{ ref('stg_raw__case_events') }}
    where {{ is_case_to_refresh('case_code') }}

),

judged_cases as (

    select
        cases.case_code,
        cases.is_terminal,
        cases.terminal_date,
        outcomes.due_date,
        outcomes.is_late_by_date,
        outcomes.is_late_by_date
            or (not cases.is_terminal and outcomes.is_overdue_at_cutoff) as apology_required,
        -- At least apology_lead_days working days before the due date; for a 0-day
        -- procedure this falls before the receipt and no apology can be timely.
        {{ workday_add('outcomes.due_date', '-cases.apology_lead_days') }} as apology_deadline,
        case when cases.is_terminal then cases.terminal_date else {{ cutoff_date() }} end
            as apologies_counted_until,
        {{ case_load_marks('cases') }}

    from cases as cases
    inner join outcomes as outcomes
        on cases.case_code = outcomes.case_code

),

apologies as (

    select
        judged_cases.case_code,
        events.event_date,
        events.new_appointment_date,
        events.reason,
        row_number() over (partition by events.case_code order by events.event_at) as apology_no,
        count(*) over (partition by events.case_code) as apology_count

    from judged_cases
    inner join events
        on judged_cases.case_code = events.case_code
        and events.event_type = 'XIN_LOI'
        and events.event_date <= judged_cases.apologies_counted_until

),

final as (

    select
        judged_cases.case_code,
        judged_cases.apology_required,
        judged_cases.apology_deadline,
        coalesce(first_apology.apology_count, 0) as apology_count,
        first_apology.case_code is not null as apology_issued,
        first_apology.event_date as first_apology_date,
        first_apology.new_appointment_date as apology_new_date,
        first_apology.event_date <= judged_cases.apology_deadline as apology_timely,
        case when first_apology.case_code is not null
            then first_apology.reason is not null and first_apology.new_appointment_date is not null
        end as apology_complete,
        coalesce(
            first_apology.event_date <= judged_cases.apology_deadline
            and first_apology.reason is not null
            and first_apology.new_appointment_date is not null
            and first_apology.apology_count = 1,
            false
        ) as apology_compliant,
        coalesce(first_apology.apology_count, 0) > 1 as multiple_reappointments,
        case
            when judged_cases.is_terminal and first_apology.case_code is not null
                then judged_cases.terminal_date <= first_apology.new_appointment_date
        end as new_date_kept,
        judged_cases.is_terminal
            and first_apology.case_code is not null
            and not judged_cases.is_late_by_date as unnecessary_apology,
        judged_cases.last_load_id,
        judged_cases.events_load_id,
        judged_cases.reference_load_id,
        judged_cases.judged_at_cutoff

    from judged_cases
    left join apologies as first_apology
        on judged_cases.case_code = first_apology.case_code
        and first_apology.apology_no = 1

)

select * from final

{#- The due date of a case at each of its checkpoints t (rules.md §3, §5): the appointment
    in force at t, moved to a working day, extended by the working days of the pauses
    that count up to t; and whether the case waits for supplementary documents at t. -#}
{{ incremental_case_config() }}

with

checkpoints as (

    select * from {{ ref('int_cases__checkpoints') }}
    where {{ is_case_to_refresh('case_code') }}

),

cases as (

    select * from {{ ref('int_cases__enriched') }}
    where {{ is_case_to_refresh('case_code') }}

),

events as (

    select * from {{ ref('stg_raw__case_events') }}
    where {{ is_case_to_refresh('case_code') }}

),

pauses as (

    select * from {{ ref('int_case_events__pauses') }}
    where {{ is_case_to_refresh('case_code') }}

),

supplement_events as (

    select * from events
    where event_type in ('YEU_CAU_BO_SUNG', 'NHAN_BO_SUNG')

),

-- Joins rather than correlated subqueries: the events are a view, and a lookup per
-- checkpoint would re-read it for each of them.
reissues as (

    -- A new receipt after supplementary documents reissues the appointment.
    select distinct on (checkpoints.case_code, checkpoints.checkpoint_date)
        checkpoints.case_code,
        checkpoints.checkpoint_date,
        supplement_events.event_date,
        supplement_events.new_appointment_date

    from checkpoints
    inner join supplement_events
        on checkpoints.case_code = supplement_events.case_code
        and supplement_events.event_type = 'NHAN_BO_SUNG'
        and supplement_events.new_appointment_date is not null
        and supplement_events.event_date <= checkpoints.checkpoint_date
    order by checkpoints.case_code, checkpoints.checkpoint_date, supplement_events.event_at desc

),

supplement_states as (

    -- Waiting at t: the latest request on or before t has no arrival after it.
    select
        checkpoints.case_code,
        checkpoints.checkpoint_date,
        coalesce(
            max(supplement_events.event_at) filter (where supplement_events.event_type = 'YEU_CAU_BO_SUNG')
            > coalesce(
                max(supplement_events.event_at) filter (where supplement_events.event_type = 'NHAN_BO_SUNG'),
                '-infinity'
            ),
            false
        ) as awaiting_supplement

    from checkpoints
    inner join supplement_events
        on checkpoints.case_code = supplement_events.case_code
        and supplement_events.event_date <= checkpoints.checkpoint_date
    group by 1, 2

),

appointments as (

    select
        checkpoints.*,
        coalesce(reissues.new_appointment_date, cases.first_appointment_date) as appointment_in_force,
        coalesce(reissues.event_date, cases.received_date) as appointment_issued_on,
        coalesce(supplement_states.awaiting_supplement, false) as awaiting_supplement

    from checkpoints
    inner join cases
        on checkpoints.case_code = cases.case_code
    left join reissues
        on checkpoints.case_code = reissues.case_code
        and checkpoints.checkpoint_date = reissues.checkpoint_date
    left join supplement_states
        on checkpoints.case_code = supplement_states.case_code
        and checkpoints.checkpoint_date = supplement_states.checkpoint_date

),

paused as (

    -- A reissued appointment already allows for what came before it; an open pause
    -- counts up to t.
    select
        appointments.case_code,
        appointments.checkpoint_date,
        coalesce(sum({{ workdays_between(
            'pauses.paused_on',
            'least(coalesce(pauses.resumed_on, appointments.checkpoint_date), appointments.checkpoint_date)'
        ) }}), 0)::integer as paused_working_days

    from appointments
    left join pauses
        on appointments.case_code = pauses.case_code
        and pauses.paused_on >= appointments.appointment_issued_on
        and pauses.paused_on <= appointments.checkpoint_date
    group by 1, 2

),

final as (

    select
        appointments.case_code,
        appointments.checkpoint_date,
        appointments.is_final,
        appointments.is_open_period_end,
        appointments.appointment_in_force,
        appointments.appointment_issued_on,
        paused.paused_working_days,
        {{ workday_add(workday_add('appointments.appointment_in_force', '0'), 'paused.paused_working_days') }}
            as due_date,
        appointments.awaiting_supplement,
        {{ case_load_marks('appointments', judged_at_cutoff=false) }},
        appointments.judged_at_cutoff

    from appointments
    inner join paused
        on appointments.case_code = paused.case_code
        and appointments.checkpoint_date = paused.checkpoint_date

)

select * from final

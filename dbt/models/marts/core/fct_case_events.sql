{#- The dated steps of every accepted case (sources.md §events) for a case's timeline:
    pauses, supplement requests and arrivals, transfers, apologies. The free-text reason
    is left out: it may name the applicant. -#}
with

events as (

    select * from {{ ref('stg_raw__case_events') }}

),

cases as (

    select case_code from {{ ref('int_cases__enriched') }}
    where is_accepted

),

final as (

    select
        events.case_code,
        events.event_at,
        events.event_date,
        events.event_type,
        events.new_appointment_date,
        events.receiving_unit_code

    from events
    inner join cases
        on events.case_code = cases.case_code

)

select * from final

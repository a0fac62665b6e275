{#- The deliveries behind each case's current state: what the incremental case-level
    models compare with what they stored, to find the cases to recompute. -#}

with

cases as (

    select * from {{ ref('stg_raw__cases') }}

),

events as (

    select * from {{ ref('stg_raw__case_events') }}

),

deliveries as (

    select * from {{ ref('stg_raw__deliveries') }}

),

event_loads as (

    select case_code, max(load_id) as events_load_id
    from events
    group by case_code

),

reference_load as (

    -- Units, procedures and the calendar change every case's rules.
    select max(load_id) as reference_load_id
    from deliveries
    where source_kind = 'reference'
        and status = 'loaded'

),

final as (

    select
        cases.case_code,
        cases.last_load_id,
        event_loads.events_load_id,
        reference_load.reference_load_id

    from cases
    cross join reference_load
    left join event_loads
        on cases.case_code = event_loads.case_code

)

select * from final

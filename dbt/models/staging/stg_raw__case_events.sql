{#- Incremental like stg_raw__cases: a build recomputes the events of the cases having an
    event in a delivery whose status changed since the build of stg_raw__cases's delivery
    states it last processed (macros/delivery_states.sql), and keeps the others. Hence it
    runs after stg_raw__cases (the reference below), whose build records those states. -#}
{{ incremental_by_case_config(
    pre_hook=[case_model_builds_pre_hook()],
    post_hook=[record_processed_build('delivery_states')],
) }}
-- depends_on: {{ ref('stg_raw__cases') }}

with

{% if is_incremental() -%}
events as (

    select *
    from {{ source('raw', 'case_events') }}
    where case_code = any(array(
        select distinct changed.case_code
        from {{ source('raw', 'case_events') }} as changed
        where changed.load_id = any(array(
            select states.load_id
            from {{ delivery_states_relation() }} as states
            where states.build_no > {{ processed_build() }}
        ))
    ))

),
{%- else -%}
events as (

    select * from {{ source('raw', 'case_events') }}

),
{%- endif %}

deliveries as (

    select * from {{ source('raw', 'deliveries') }}

),

delivered_events as (

    select
        events.*,
        row_number() over (
            -- The same event delivered again is one event; the latest delivery's copy wins.
            partition by events.case_code, events.event_type, events.event_at
            order by events.load_id desc, events.record_no desc, events.event_no desc
        ) as copy_rank

    from events
    inner join deliveries
        on events.load_id = deliveries.load_id
    -- Events are append-only: a superseded delivery's events still happened.
    where deliveries.status in ('loaded', 'superseded')

),

renamed as (

    select
        case_code,
        event_type,
        event_at,
        {{ local_date('event_at') }} as event_date,
        {{ local_date('new_appointment_at') }} as new_appointment_date,
        nullif(receiving_unit_code, '') as receiving_unit_code,
        nullif(reason, '') as reason,
        load_id

    from delivered_events
    where copy_rank = 1

)

select * from renamed

with

events as (

    select * from {{ source('raw', 'case_events') }}

),

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

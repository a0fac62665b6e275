{#- A table, not a view: the view's definition would expose the applicant-hash key.
    Incremental on the deliveries: a build recomputes the cases having a snapshot in a
    delivery whose status changed since the last build (macros/delivery_states.sql) —
    the day's new deliveries, and those superseded since, whose cases may fall back to
    an older snapshot or vanish — from all their current snapshots, and keeps the rest. -#}
{{ incremental_by_case_config(
    pre_hook=delivery_states_pre_hooks(),
    post_hook=delivery_states_post_hooks(),
    indexes=[{'columns': ['case_code'], 'unique': true}, {'columns': ['last_load_id']}],
) }}

with

{% if is_incremental() -%}
snapshots as (

    -- The cases of the changed deliveries, listed by the pre-hook (delivery_states.sql).
    select *
    from {{ source('raw', 'case_snapshots') }}
    where case_code in (select changed.case_code from pg_temp.stg_raw__cases_changed as changed)

),
{%- else -%}
snapshots as (

    select * from {{ source('raw', 'case_snapshots') }}

),
{%- endif %}

deliveries as (

    select * from {{ source('raw', 'deliveries') }}

),

current_snapshots as (

    select
        snapshots.*,
        deliveries.source_kind,
        deliveries.delivery_day,
        row_number() over (
            partition by snapshots.case_code
            order by
                snapshots.updated_at desc,
                deliveries.delivery_day desc,
                snapshots.load_id desc,
                snapshots.record_no desc
        ) as recency_rank

    from snapshots
    inner join deliveries
        on snapshots.load_id = deliveries.load_id
    -- Superseded deliveries stop counting: their snapshots were replaced or retracted.
    where deliveries.status = 'loaded'

),

renamed as (

    select
        case_code,
        unit_code,
        procedure_code,
        case channel
            when 2 then 'ONLINE'
            when 3 then 'POSTAL'
            else 'DIRECT'
        end as channel,
        received_at,
        {{ local_date('received_at') }} as received_date,
        {{ local_date('appointment_at') }} as appointment_date,
        {{ local_date('terminal_at') }} as terminal_at_date,
        {{ local_date('returned_at') }} as returned_date,
        {{ local_date('updated_at') }} as updated_date,
        status_code,
        applicant_type,
        {{ applicant_key('applicant_id', 'applicant_type') }} as applicant_key,
        paid_online,
        result_digitised,
        rating,
        updated_at,
        source_kind,
        load_id as last_load_id

    from current_snapshots
    where recency_rank = 1

)

select * from renamed

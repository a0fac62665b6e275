{#- A view, so that the audit is current the moment a delivery is recorded. -#}
{{ config(materialized='view') }}

with

deliveries as (

    select * from {{ ref('stg_raw__deliveries') }}

),

final as (

    select
        load_id,
        source_kind,
        feed_unit_code as unit_code,
        delivery,
        received_at,
        rows_read,
        rows_loaded,
        rows_quarantined,
        status,
        reason,
        reason_vi,
        delivery_day,
        superseded_by,
        content_hash

    from deliveries

)

select * from final

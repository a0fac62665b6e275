{#- A view, so that a quality run's matrix is published the moment it is written. -#}
{{ config(materialized='view') }}

with

completeness as (

    select * from {{ source('quality', 'completeness') }}

),

final as (

    select
        run_id,
        period_year,
        period_month,
        unit_code,
        feed_unit_code,
        feed_kind,
        carried,
        in_force_from,
        in_force_to,
        deliveries_expected,
        deliveries_received,
        deliveries_loaded,
        rows_quarantined,
        last_delivery_at,
        complete,
        status,
        files_landed

    from completeness

)

select * from final

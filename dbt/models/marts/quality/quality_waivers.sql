{#- A view, so that a waiver counts in the report the moment it is recorded. -#}
{{ config(materialized='view') }}

with

waivers as (

    select * from {{ source('quality', 'waivers') }}

),

final as (

    select
        waiver_id,
        "check",
        unit_code,
        report_year,
        waived_by,
        reason as waiver_reason,
        valid_until,
        created_at

    from waivers

)

select * from final

{#- A view, so that a quality run is published the moment it is written. -#}
{{ config(materialized='view') }}

with

check_results as (

    select * from {{ source('quality', 'check_results') }}

),

final as (

    select
        run_id,
        checked_at,
        suite,
        "check",
        passed,
        observed,
        severity

    from check_results

)

select * from final

{#- Every unit that receives cases, as delivered in units.csv. The index reuses it. -#}

with

units as (

    select * from {{ ref('stg_raw__units') }}

)

select
    unit_code,
    unit_name,
    unit_kind,
    parent_code,
    valid_from,
    valid_to,
    successor_code

from units

-- The procedure catalogue (procedures.csv) with names, one row per version in force
-- over a span of days; an addition to the marts.md contract, so that reports and
-- inspectors print procedure names, not bare codes.
with

procedures as (

    select * from {{ ref('stg_raw__procedures') }}

),

final as (

    select
        procedure_code,
        procedure_name,
        sector,
        authority_level,
        statutory_days,
        online_level,
        valid_from,
        valid_to

    from procedures

)

select * from final

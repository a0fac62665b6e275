-- The procedure catalogue (procedures.csv) with names, one row per version in force
-- over a span of days; an addition to the marts.md contract, so that reports and
-- inspectors print procedure names, not bare codes. Its columns are the contract's.
with

procedures as (

    select * from {{ ref('stg_raw__procedures') }}

)

select * from procedures

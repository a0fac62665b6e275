with

units as (

    select * from {{ ref('int_units') }}

)

select * from units

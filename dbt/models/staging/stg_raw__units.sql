with

source as (

    select * from {{ source('raw', 'ref_units') }}

),

renamed as (

    select
        unit_code,
        unit_name,
        unit_kind,
        nullif(parent_code, '') as parent_code,
        valid_from,
        valid_to,
        nullif(successor_code, '') as successor_code

    from source

)

select * from renamed

with

source as (

    select * from {{ source('raw', 'ref_procedures') }}

),

renamed as (

    select
        procedure_code,
        procedure_name,
        sector,
        authority_level,
        statutory_days,
        online_level,
        valid_from,
        valid_to

    from source

)

select * from renamed

with

source as (

    select * from {{ source('raw', 'ref_appraisal') }}

),

renamed as (

    select
        year as appraisal_year,
        unit_code,
        criterion_code,
        score

    from source

)

select * from renamed

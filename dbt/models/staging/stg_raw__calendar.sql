with

source as (

    select * from {{ source('raw', 'ref_calendar') }}

),

renamed as (

    select
        date as calendar_date,
        kind as day_kind

    from source

)

select * from renamed

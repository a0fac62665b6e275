with

source as (

    select * from {{ source('raw', 'ref_feeds') }}

),

renamed as (

    select
        feed_unit_code,
        kind as feed_kind,
        unit_code,
        valid_from,
        valid_to

    from source

)

select * from renamed

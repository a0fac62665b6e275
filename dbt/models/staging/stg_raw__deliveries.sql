with

source as (

    select * from {{ source('raw', 'deliveries') }}

),

renamed as (

    select
        load_id,
        source_kind,
        feed_unit_code,
        delivery,
        record_kind,
        delivery_day,
        received_at,
        status,
        reason,
        reason_vi,
        rows_read,
        rows_loaded,
        rows_quarantined,
        superseded_by,
        content_hash

    from source

)

select * from renamed

-- The years the index covers: every year of the unit-year spine (first year in the
-- data to the cut-off) up to the report year, so that each year finds last year's ranks.
with

years as (

    select distinct period_year
    from {{ ref('int_unit_years') }}
    where period_year <= {{ var('report_year') }}

),

versions as (

    select * from {{ ref('par_methodology_versions') }}

),

final as (

    select
        years.period_year,
        make_date(years.period_year, 12, 31) as year_end_date,
        versions.methodology_version

    from years
    -- A left join so that a year no methodology covers fails the not_null test
    -- instead of silently dropping out of the index.
    left join versions
        on years.period_year between versions.valid_from_year
        and coalesce(versions.valid_to_year, 9999)

)

select * from final

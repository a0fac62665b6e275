-- The league tables' members for each year: every department and district in force on
-- 31 December, with or without cases (each such unit is its own ranking unit).
with

ranking_units as (

    select * from {{ ref('int_par_ranking_units') }}

),

units as (

    select unit_code, unit_name from {{ ref('int_units') }}

),

years as (

    select period_year, methodology_version from {{ ref('int_par_years') }}

),

final as (

    select
        ranking_units.ranking_unit_code,
        ranking_units.period_year,
        units.unit_name as ranking_unit_name,
        case ranking_units.ranking_unit_kind
            when 'DEPARTMENT' then 'DEPARTMENTS'
            when 'DISTRICT' then 'DISTRICTS'
        end as league,
        years.methodology_version

    from ranking_units
    inner join units on ranking_units.ranking_unit_code = units.unit_code
    inner join years on ranking_units.period_year = years.period_year

    where ranking_units.unit_code = ranking_units.ranking_unit_code

)

select * from final

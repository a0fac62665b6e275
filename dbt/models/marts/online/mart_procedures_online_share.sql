-- Province-wide share of the procedure catalogue offered online, as of 31 December of
-- each year (rules.md §8); an addition to the marts.md contract.
with

years as (

    select distinct
        period_year,
        make_date(period_year, 12, 31) as as_of_date
    from {{ ref('int_unit_years') }}

),

procedures as (

    select procedure_code, online_level, valid_from, valid_to
    from {{ ref('stg_raw__procedures') }}

),

counts as (

    select
        years.period_year,
        count(*) as procedures_in_force,
        count(*) filter (where procedures.online_level <> 'NONE') as procedures_online,
        count(*) filter (where procedures.online_level = 'FULL') as procedures_full_process

    from years
    inner join procedures
        on procedures.valid_from <= years.as_of_date
        and coalesce(procedures.valid_to, years.as_of_date) >= years.as_of_date

    group by years.period_year

),

final as (

    select
        years.period_year,
        years.as_of_date,
        coalesce(counts.procedures_in_force, 0) as procedures_in_force,
        coalesce(counts.procedures_online, 0) as procedures_online,
        coalesce(counts.procedures_full_process, 0) as procedures_full_process,
        {{ rate('counts.procedures_online', 'counts.procedures_in_force') }}
            as procedures_online_share,
        {{ rate('counts.procedures_full_process', 'counts.procedures_in_force') }}
            as full_process_share

    from years
    left join counts on years.period_year = counts.period_year

)

select * from final

-- Where a unit's cases count in year Y's index (rules.md §9): a unit not in force on
-- 31 December Y hands over to its successor, a commune to its district, until a
-- department or district in force on 31 December Y is reached.
with

units as (

    select * from {{ ref('int_units') }}

),

years as (

    select period_year, year_end_date from {{ ref('int_par_years') }}

),

unit_years as (

    select
        years.period_year,
        units.unit_code,
        units.unit_kind,
        units.valid_from <= years.year_end_date
        and coalesce(units.valid_to, years.year_end_date) >= years.year_end_date
            as in_force_at_year_end,
        units.parent_code,
        units.successor_code

    from units
    cross join years

),

hand_overs as (

    select
        period_year,
        unit_code,
        unit_kind,
        in_force_at_year_end and unit_kind in ('DEPARTMENT', 'DISTRICT') as is_ranked,
        case
            when not in_force_at_year_end then successor_code
            when unit_kind = 'COMMUNE' then parent_code
        end as next_unit_code

    from unit_years

),

ranking_units as (

    -- A subquery, not a top-level WITH RECURSIVE: dbt inserts its own CTEs (unit-test
    -- inputs) after the first WITH, where RECURSIVE would have to stand.
    select * from (
        with recursive walk as (
            select
                period_year,
                unit_code,
                unit_code as reached_unit_code,
                0 as hops
            from hand_overs

            union all

            select
                walk.period_year,
                walk.unit_code,
                hand_overs.next_unit_code,
                walk.hops + 1
            from walk
            inner join hand_overs
                on walk.reached_unit_code = hand_overs.unit_code
                and walk.period_year = hand_overs.period_year
            -- The hop limit stops a successor cycle in the reference data.
            where not hand_overs.is_ranked and walk.hops < 10
        )

        select
            walk.unit_code,
            walk.period_year,
            walk.reached_unit_code as ranking_unit_code,
            hand_overs.unit_kind as ranking_unit_kind
        from walk
        inner join hand_overs
            on walk.reached_unit_code = hand_overs.unit_code
            and walk.period_year = hand_overs.period_year
        where hand_overs.is_ranked
    ) as walk_ends

)

select * from ranking_units

{{
    config(
        indexes=[
            {'columns': ['calendar_date'], 'unique': true},
            {'columns': ['working_day_index', 'calendar_date']},
        ]
    )
}}

with

default_calendar as (

    select * from {{ ref('default_calendar') }}

),

delivered_calendar as (

    select * from {{ ref('stg_raw__calendar') }}

),

delivered_years as (

    select distinct extract(year from calendar_date)::int as calendar_year
    from delivered_calendar

),

-- A delivered calendar replaces the default for every year it has at least one row in.
marked_days as (

    select
        default_calendar.date as calendar_date,
        default_calendar.kind as day_kind
    from default_calendar
    where extract(year from default_calendar.date)::int not in (
        select delivered_years.calendar_year from delivered_years
    )

    union all

    select
        calendar_date,
        day_kind
    from delivered_calendar

),

covered_years as (

    select distinct extract(year from date)::int as calendar_year
    from default_calendar

    union

    select calendar_year from delivered_years

),

days as (

    select
        day::date as calendar_date,
        covered_years.calendar_year,
        marked_days.day_kind,
        case when covered_years.calendar_year in (select delivered_years.calendar_year from delivered_years)
            then 'delivered' else 'default'
        end as calendar_source,
        case
            when marked_days.day_kind = 'WORKDAY' then true
            when marked_days.day_kind = 'HOLIDAY' then false
            else extract(isodow from day) < 6
        end as is_working_day

    from covered_years
    cross join lateral generate_series(
        make_date(covered_years.calendar_year, 1, 1),
        make_date(covered_years.calendar_year, 12, 31),
        interval '1 day'
    ) as day
    left join marked_days
        on marked_days.calendar_date = day::date

),

indexed as (

    select
        calendar_date,
        calendar_year,
        day_kind,
        calendar_source,
        is_working_day,
        -- Working days on or before the date: workday_add and workdays_between become
        -- lookups on this running count instead of loops over days.
        count(*) filter (where is_working_day) over (order by calendar_date) as working_day_index

    from days

)

select * from indexed

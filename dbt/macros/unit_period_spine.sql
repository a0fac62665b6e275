{#- Unit x period spine for grain 'month' or 'year' (int_unit_months, int_unit_years):
    one macro so that the two spines cannot disagree on units or on periods. A unit has a
    row for every period it is in force in (zeros included) and for every period in which
    it has an accepted case, received, carried over, resolved or pending, outside its
    validity (marts.md): cases stay with the unit that accepted them after it ceased to
    exist, and no case drops out of a period. -#}
{% macro unit_period_spine(grain) %}

with

units as (

    select * from {{ ref('int_units') }}

),

cases as (

    select * from {{ ref('stg_raw__cases') }}

),

accepted_cases as (

    select unit_code, received_date, terminal_date
    from {{ ref('int_cases__enriched') }}
    where is_accepted
        and received_date <= {{ cutoff_date() }}

),

first_year as (

    select coalesce(
        min(extract(year from coalesce(received_date, updated_date)))::int,
        extract(year from {{ cutoff_date() }})::int
    ) as first_year
    from cases

),

periods as (

    select
        period_start::date as period_start,
        least(
            (period_start + interval '1 {{ grain }}' - interval '1 day')::date,
            {{ cutoff_date() }}
        ) as period_end

    from first_year
    cross join lateral generate_series(
        make_date(first_year.first_year, 1, 1),
        date_trunc('{{ grain }}', {{ cutoff_date() }}),
        interval '1 {{ grain }}'
    ) as period_start

),

units_in_force as (

    select
        units.unit_code,
        periods.period_start,
        periods.period_end

    from periods
    inner join units
        on units.valid_from <= periods.period_end
        and (units.valid_to is null or units.valid_to >= periods.period_start)

),

-- Only cases whose unit is not in force for the whole of their life can fall outside
-- units_in_force: filtering them first keeps the range join below small.
cases_outside_validity as (

    select accepted_cases.*
    from accepted_cases
    left join units
        on accepted_cases.unit_code = units.unit_code
    where units.unit_code is null
        or units.valid_from > accepted_cases.received_date
        or units.valid_to < coalesce(accepted_cases.terminal_date, {{ cutoff_date() }})

),

-- A case is in a period's row when it was received or resolved in it, or open across its
-- start (carried over: received before the start, not terminal before it; pending at the
-- end is one of these three).
units_with_cases as (

    select distinct
        cases.unit_code,
        periods.period_start,
        periods.period_end

    from periods
    inner join cases_outside_validity as cases
        on cases.received_date between periods.period_start and periods.period_end
        or cases.terminal_date between periods.period_start and periods.period_end
        or (cases.received_date < periods.period_start
            and (cases.terminal_date is null or cases.terminal_date >= periods.period_start))

),

unit_periods as (

    select * from units_in_force
    union
    select * from units_with_cases

),

spine as (

    select
        unit_code,
        extract(year from period_start)::int as period_year,
        {%- if grain == 'month' %}
        extract(month from period_start)::int as period_month,
        {%- endif %}
        period_start,
        period_end

    from unit_periods

)

select * from spine

{% endmacro %}

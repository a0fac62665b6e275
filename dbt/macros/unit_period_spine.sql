{#- Unit x period spine for grain 'month' or 'year' (int_unit_months, int_unit_years):
    one macro so that the two spines cannot disagree on units in force or on periods. -#}
{% macro unit_period_spine(grain) %}

with

units as (

    select * from {{ ref('int_units') }}

),

cases as (

    select * from {{ ref('stg_raw__cases') }}

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

spine as (

    select
        units.unit_code,
        extract(year from periods.period_start)::int as period_year,
        {%- if grain == 'month' %}
        extract(month from periods.period_start)::int as period_month,
        {%- endif %}
        periods.period_start,
        periods.period_end

    from periods
    inner join units
        on units.valid_from <= periods.period_end
        and (units.valid_to is null or units.valid_to >= periods.period_start)

)

select * from spine

{% endmacro %}

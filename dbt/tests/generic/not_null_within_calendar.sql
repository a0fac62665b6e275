{#- Not null for every case whose dates lie inside the calendar (rules.md §1): every year
    from its receipt to one year after its latest known date (NgayHenTra, terminal date, or
    the cut-off while open) is covered. Outside it the rules leave the value null and the
    quality gate names the missing year (marts.fct_cases.calendar_covers_computed_dates). -#}
{% test not_null_within_calendar(model, column_name) %}

with

-- A CTE rather than an alias on the relation: with a `where`, dbt passes a subquery
-- that already carries its alias (macros/delivery_states.sql).
cases as (

    select * from {{ model }}

),

covered as (

    select distinct calendar_year from {{ ref('int_calendar__days') }}

)

select *
from cases
where cases.{{ column_name }} is null
    and not exists (
        select 1
        from generate_series(
            extract(year from cases.received_date)::int,
            extract(year from greatest(
                cases.received_date, cases.original_due_date,
                coalesce(cases.terminal_date, {{ cutoff_date() }})
            ))::int + 1
        ) as needed (calendar_year)
        where needed.calendar_year not in (select calendar_year from covered)
    )

{% endtest %}

{#- Working-day arithmetic of rules.md §1 as lookups on int_calendar__days.working_day_index
    (the number of working days on or before a date). Both return null for a date outside
    the calendar's years: the quality gate reports it rather than the rules guessing. -#}

{#- workday_add(d, n): n >= 1, the n-th working day after d (d never counted); n = 0, d
    itself if it is a working day, else the next one; n < 0, the |n|-th working day before
    d. A day off's index is that of the working day before it, hence the +1 for n <= 0. -#}
{% macro workday_add(date_expr, days_expr) -%}
    (
        select min(wd_target.calendar_date)
        from {{ ref('int_calendar__days') }} as wd_target
        where wd_target.working_day_index = (
            select
                wd_origin.working_day_index + ({{ days_expr }})
                + case when ({{ days_expr }}) <= 0 and not wd_origin.is_working_day then 1 else 0 end
            from {{ ref('int_calendar__days') }} as wd_origin
            where wd_origin.calendar_date = ({{ date_expr }})
        )
        and wd_target.is_working_day
    )
{%- endmacro %}

{#- workdays_between(a, b): working days w with a < w <= b; 0 when b <= a. -#}
{% macro workdays_between(from_expr, to_expr) -%}
    greatest(
        0,
        (select wd_to.working_day_index from {{ ref('int_calendar__days') }} as wd_to
         where wd_to.calendar_date = ({{ to_expr }}))
        - (select wd_from.working_day_index from {{ ref('int_calendar__days') }} as wd_from
           where wd_from.calendar_date = ({{ from_expr }}))
    )::integer
{%- endmacro %}

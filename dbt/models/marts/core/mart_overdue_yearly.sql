-- Late and overdue cases per unit and year (rules.md §4).
with

counts as (

    select * from {{ ref('int_unit_years__case_counts') }}

),

final as (

    select
        unit_code,
        period_year,
        period_start,
        period_end,
        resolved_late,
        pending_overdue,
        working_days_late_total,
        working_days_late_max,
        late_by_supplement_rule,
        padded_appointments

    from counts

)

select * from final

-- Late and overdue cases per unit and month (rules.md §4).
with

counts as (

    select * from {{ ref('int_unit_months__case_counts') }}

),

final as (

    select
        unit_code,
        period_year,
        period_month,
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

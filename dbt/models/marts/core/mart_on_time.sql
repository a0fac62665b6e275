-- Biểu 06 per unit and month (rules.md §6); counts and rates are int_unit_months__case_counts'.
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
        received_total,
        received_online,
        received_direct_postal,
        carried_over,
        resolved_total,
        resolved_early,
        resolved_on_time,
        resolved_late,
        pending_total,
        pending_in_time,
        pending_overdue,
        rejected_at_desk,
        on_time_rate,
        on_time_rate_766

    from counts

)

select * from final

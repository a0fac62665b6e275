-- Biểu 06 per unit and year (rules.md §6): the year's own counts, rates from them.
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

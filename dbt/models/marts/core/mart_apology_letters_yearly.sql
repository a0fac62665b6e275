-- Apology letters of late cases per unit and year (rules.md §7).
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
        late_cases,
        apology_issued,
        apology_timely,
        apology_complete,
        apology_compliant,
        multiple_reappointments,
        new_date_kept,
        unnecessary_apologies,
        apology_rate,
        apology_compliance_rate

    from counts

)

select * from final

-- The case-based measures of the index per ranking unit and year. The accepting units'
-- yearly counts (those the yearly marts publish) are summed over the ranking unit before
-- any rate is taken: a district's rate weighs its communes by their cases, not one vote each.
with

ranking_units as (

    select unit_code, period_year, ranking_unit_code
    from {{ ref('int_par_ranking_units') }}

),

unit_year_counts as (

    select * from {{ ref('int_unit_years__case_counts') }}

),

ranking_unit_counts as (

    select
        ranking_units.ranking_unit_code,
        ranking_units.period_year,
        -- Biểu 06 column (3), carried-over cases included, unlike received_in_period.
        sum(unit_year_counts.received_total) as period_table_received_total,
        sum(unit_year_counts.resolved_total) as resolved_total,
        sum(unit_year_counts.resolved_early + unit_year_counts.resolved_on_time)
            as resolved_in_time,
        sum(unit_year_counts.pending_overdue) as pending_overdue,
        sum(unit_year_counts.late_cases) as late_cases,
        sum(unit_year_counts.apology_compliant) as apology_compliant,
        sum(unit_year_counts.received_in_period) as received_total,
        sum(unit_year_counts.received_online) as received_online,
        sum(unit_year_counts.received_full_process) as received_full_process,
        sum(unit_year_counts.received_online_full_process)
            as received_online_full_process,
        sum(unit_year_counts.fee_cases) as fee_cases,
        sum(unit_year_counts.paid_online) as paid_online,
        sum(unit_year_counts.resolved_with_result) as resolved_with_result,
        sum(unit_year_counts.digitised_results) as digitised_results

    from ranking_units
    left join unit_year_counts
        on ranking_units.unit_code = unit_year_counts.unit_code
        and ranking_units.period_year = unit_year_counts.period_year

    group by ranking_units.ranking_unit_code, ranking_units.period_year

),

measures as (

    select
        counts.ranking_unit_code,
        counts.period_year,
        measure.measure,
        measure.measure_value

    from ranking_unit_counts as counts
    cross join lateral (
        values
            ('on_time_rate',
                {{ rate('counts.resolved_in_time', 'counts.resolved_total') }}),
            ('apology_compliance_rate',
                {{ rate('counts.apology_compliant', 'counts.late_cases') }}),
            -- "No accepted case in the year" is Biểu 06 column (3) = 0 (rules.md §9).
            ('pending_overdue',
                case when counts.period_table_received_total > 0 then counts.pending_overdue end),
            ('online_rate',
                {{ rate('counts.received_online', 'counts.received_total') }}),
            ('full_process_online_rate',
                {{ rate('counts.received_online_full_process', 'counts.received_full_process') }}),
            ('online_payment_rate',
                {{ rate('counts.paid_online', 'counts.fee_cases') }}),
            ('digitised_result_rate',
                {{ rate('counts.digitised_results', 'counts.resolved_with_result') }})
    ) as measure (measure, measure_value)

)

select * from measures

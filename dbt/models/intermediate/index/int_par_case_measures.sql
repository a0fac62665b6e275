-- The case-based measures of the index per ranking unit and year. Counts of the
-- accepting units' yearly marts are summed over the ranking unit before any rate is
-- taken: a district's rate weighs its communes by their cases, not one vote each.
with

ranking_units as (

    select unit_code, period_year, ranking_unit_code
    from {{ ref('int_par_ranking_units') }}

),

on_time as (

    select * from {{ ref('mart_on_time_yearly') }}

),

apologies as (

    select * from {{ ref('mart_apology_letters_yearly') }}

),

online_service as (

    select * from {{ ref('mart_online_service_rate_yearly') }}

),

ranking_unit_counts as (

    select
        ranking_units.ranking_unit_code,
        ranking_units.period_year,
        -- Biểu 06 column (3), carried-over cases included, unlike the online receipts.
        sum(on_time.received_total) as period_table_received_total,
        sum(on_time.resolved_total) as resolved_total,
        sum(on_time.resolved_early + on_time.resolved_on_time) as resolved_in_time,
        sum(on_time.pending_overdue) as pending_overdue,
        sum(apologies.late_cases) as late_cases,
        sum(apologies.apology_compliant) as apology_compliant,
        sum(online_service.received_total) as received_total,
        sum(online_service.received_online) as received_online,
        sum(online_service.received_full_process) as received_full_process,
        sum(online_service.received_online_full_process) as received_online_full_process,
        sum(online_service.fee_cases) as fee_cases,
        sum(online_service.paid_online) as paid_online,
        sum(online_service.resolved_with_result) as resolved_with_result,
        sum(online_service.digitised_results) as digitised_results

    from ranking_units
    left join on_time
        on ranking_units.unit_code = on_time.unit_code
        and ranking_units.period_year = on_time.period_year
    left join apologies
        on ranking_units.unit_code = apologies.unit_code
        and ranking_units.period_year = apologies.period_year
    left join online_service
        on ranking_units.unit_code = online_service.unit_code
        and ranking_units.period_year = online_service.period_year

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

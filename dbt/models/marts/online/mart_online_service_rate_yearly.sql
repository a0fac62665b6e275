-- A year's counts are the sums of its months; rates are taken from the sums, never
-- averaged over months.
with

unit_years as (

    select * from {{ ref('int_unit_years') }}

),

monthly as (

    select * from {{ ref('mart_online_service_rate') }}

),

yearly_sums as (

    select
        unit_code,
        period_year,
        sum(received_total) as received_total,
        sum(received_online) as received_online,
        sum(received_postal) as received_postal,
        sum(received_capable) as received_capable,
        sum(received_online_capable) as received_online_capable,
        sum(received_full_process) as received_full_process,
        sum(received_online_full_process) as received_online_full_process,
        sum(fee_cases) as fee_cases,
        sum(paid_online) as paid_online,
        sum(resolved_with_result) as resolved_with_result,
        sum(digitised_results) as digitised_results,
        sum(rated) as rated,
        sum(rated_satisfied) as rated_satisfied

    from monthly
    group by unit_code, period_year

),

counts as (

    select
        unit_years.unit_code,
        unit_years.period_year,
        unit_years.period_start,
        unit_years.period_end,
        coalesce(yearly_sums.received_total, 0)::bigint as received_total,
        coalesce(yearly_sums.received_online, 0)::bigint as received_online,
        coalesce(yearly_sums.received_postal, 0)::bigint as received_postal,
        coalesce(yearly_sums.received_capable, 0)::bigint as received_capable,
        coalesce(yearly_sums.received_online_capable, 0)::bigint as received_online_capable,
        coalesce(yearly_sums.received_full_process, 0)::bigint as received_full_process,
        coalesce(yearly_sums.received_online_full_process, 0)::bigint
            as received_online_full_process,
        coalesce(yearly_sums.fee_cases, 0)::bigint as fee_cases,
        coalesce(yearly_sums.paid_online, 0)::bigint as paid_online,
        coalesce(yearly_sums.resolved_with_result, 0)::bigint as resolved_with_result,
        coalesce(yearly_sums.digitised_results, 0)::bigint as digitised_results,
        coalesce(yearly_sums.rated, 0)::bigint as rated,
        coalesce(yearly_sums.rated_satisfied, 0)::bigint as rated_satisfied

    from unit_years
    left join yearly_sums
        on unit_years.unit_code = yearly_sums.unit_code
        and unit_years.period_year = yearly_sums.period_year

),

final as (

    select
        *,
        {{ online_service_rates() }}

    from counts

)

select * from final

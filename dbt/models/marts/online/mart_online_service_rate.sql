-- Receipts count in the month of their receipt date; payment, digitised results and
-- ratings in the month of the terminal date (rules.md §8). Cases are counted per unit
-- and month first and joined to the spine by key, like the other unit x period marts.
with

unit_months as (

    select * from {{ ref('int_unit_months') }}

),

cases as (

    select * from {{ ref('fct_cases') }}

),

received as (

    select
        unit_code,
        date_trunc('month', received_date)::date as period_start,
        count(*) as received_total,
        count(*) filter (where channel = 'ONLINE') as received_online,
        count(*) filter (where channel = 'POSTAL') as received_postal,
        count(*) filter (where online_level in ('FULL', 'PARTIAL')) as received_capable,
        count(*) filter (
            where channel = 'ONLINE' and online_level in ('FULL', 'PARTIAL')
        ) as received_online_capable,
        count(*) filter (where online_level = 'FULL') as received_full_process,
        count(*) filter (
            where channel = 'ONLINE' and online_level = 'FULL'
        ) as received_online_full_process

    from cases
    where received_date <= {{ cutoff_date() }}
    group by 1, 2

),

resolved as (

    select
        unit_code,
        date_trunc('month', terminal_date)::date as period_start,
        -- online_payment is null where no fee applies: only fee-bearing cases count.
        count(online_payment) as fee_cases,
        count(*) filter (where online_payment) as paid_online,
        count(*) filter (where status_code in (9, 10)) as resolved_with_result,
        count(*) filter (where status_code in (9, 10) and result_digitised) as digitised_results,
        count(rating) as rated,
        count(*) filter (where rating in (1, 2)) as rated_satisfied

    from cases
    where terminal_date <= {{ cutoff_date() }}
    group by 1, 2

),

counts as (

    select
        unit_months.unit_code,
        unit_months.period_year,
        unit_months.period_month,
        unit_months.period_start,
        unit_months.period_end,
        coalesce(received.received_total, 0) as received_total,
        coalesce(received.received_online, 0) as received_online,
        coalesce(received.received_postal, 0) as received_postal,
        coalesce(received.received_capable, 0) as received_capable,
        coalesce(received.received_online_capable, 0) as received_online_capable,
        coalesce(received.received_full_process, 0) as received_full_process,
        coalesce(received.received_online_full_process, 0) as received_online_full_process,
        coalesce(resolved.fee_cases, 0) as fee_cases,
        coalesce(resolved.paid_online, 0) as paid_online,
        coalesce(resolved.resolved_with_result, 0) as resolved_with_result,
        coalesce(resolved.digitised_results, 0) as digitised_results,
        coalesce(resolved.rated, 0) as rated,
        coalesce(resolved.rated_satisfied, 0) as rated_satisfied

    from unit_months
    left join received
        on unit_months.unit_code = received.unit_code
        and unit_months.period_start = received.period_start
    left join resolved
        on unit_months.unit_code = resolved.unit_code
        and unit_months.period_start = resolved.period_start

),

final as (

    select
        *,
        {{ online_service_rates() }}

    from counts

)

select * from final

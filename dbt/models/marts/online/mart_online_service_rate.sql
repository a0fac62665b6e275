-- Online service per unit and month (rules.md §8): receipts count in the month of their
-- receipt date (received_total here is receipts only, carried-over cases not included);
-- payment, digitised results and ratings in the month of the terminal date.
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
        received_in_period as received_total,
        received_online,
        received_postal,
        received_capable,
        received_online_capable,
        received_full_process,
        received_online_full_process,
        fee_cases,
        paid_online,
        resolved_with_result,
        digitised_results,
        rated,
        rated_satisfied,
        online_rate,
        online_rate_capable,
        full_process_online_rate,
        postal_rate,
        online_payment_rate,
        digitised_result_rate,
        rating_satisfaction_rate

    from counts

)

select * from final

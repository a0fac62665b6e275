{#- Inter-agency transfers (CHUYEN_LIEN_THONG) of every accepted case: the last receiving
    unit, and the unit holding the case on its due date — after the transfers made on or
    before that date, else the accepting unit — who let a late case run late. -#}
{{ incremental_case_config() }}

with

cases as (

    select * from {{ ref('int_cases__enriched') }}
    where is_accepted
        and {{ is_case_to_refresh('case_code') }}

),

outcomes as (

    select * from {{ ref('int_cases__outcomes') }}
    where {{ is_case_to_refresh('case_code') }}

),

transfers as (

    select * from {{ ref('stg_raw__case_events') }}
    where event_type = 'CHUYEN_LIEN_THONG'
        and receiving_unit_code is not null
        and {{ is_case_to_refresh('case_code') }}

),

last_transfers as (

    select distinct on (transfers.case_code)
        transfers.case_code,
        transfers.receiving_unit_code
    from transfers
    order by transfers.case_code, transfers.event_at desc

),

holders_at_due as (

    select distinct on (transfers.case_code)
        transfers.case_code,
        transfers.receiving_unit_code
    from transfers
    inner join outcomes
        on transfers.case_code = outcomes.case_code
        and transfers.event_date <= outcomes.due_date
    order by transfers.case_code, transfers.event_at desc

),

final as (

    select
        cases.case_code,
        last_transfers.receiving_unit_code as transferred_to,
        coalesce(holders_at_due.receiving_unit_code, cases.unit_code) as holder_unit_at_due,
        {{ case_load_marks('cases') }}

    from cases
    left join last_transfers
        on cases.case_code = last_transfers.case_code
    left join holders_at_due
        on cases.case_code = holders_at_due.case_code

)

select * from final

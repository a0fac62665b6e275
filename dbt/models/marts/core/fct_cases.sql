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

apologies as (

    select * from {{ ref('int_cases__apologies') }}
    where {{ is_case_to_refresh('case_code') }}

),

transfers as (

    select * from {{ ref('int_cases__transfers') }}
    where {{ is_case_to_refresh('case_code') }}

),

ranking_units as (

    select * from {{ ref('int_units__ranking_at_cutoff') }}

),

final as (

    select
        cases.case_code,
        cases.unit_code,
        ranking_units.ranking_unit_code,
        cases.procedure_code,
        cases.sector,
        cases.channel,
        cases.online_level,
        cases.received_date,
        cases.original_due_date,
        cases.due_date_derived,
        outcomes.due_date,
        cases.statutory_due_date,
        cases.padding_working_days,
        cases.terminal_date,
        cases.status_code,
        outcomes.timeliness,
        outcomes.working_days_late,
        outcomes.supplement_requests,
        outcomes.paused_working_days,
        apologies.apology_count,
        apologies.first_apology_date,
        case when apologies.apology_required then coalesce(apologies.apology_timely, false) end
            as apology_timely,
        apologies.apology_new_date,
        transfers.transferred_to,
        cases.paid_online = 1 as online_payment,
        cases.result_digitised = 1 as result_digitised,
        cases.rating,
        cases.applicant_key,
        cases.source_kind,
        cases.terminal_date_fallback,
        cases.procedure_version_nearest,
        {{ case_load_marks('cases') }}

    from cases
    inner join outcomes
        on cases.case_code = outcomes.case_code
    inner join apologies
        on cases.case_code = apologies.case_code
    inner join transfers
        on cases.case_code = transfers.case_code
    left join ranking_units
        on cases.unit_code = ranking_units.unit_code

)

select * from final

{#- One row per case (every status): the case's procedure version in force on its receipt
    date, statutory and original appointments, terminal date and the rule parameters in
    force on its receipt date (rules.md §2-3). -#}
{{ incremental_case_config(kept_cases='stg_raw__cases', kept_condition='true') }}

with

cases as (

    select * from {{ ref('stg_raw__cases') }}
    where {{ is_case_to_refresh('case_code', judged_at_cutoff=false) }}

),

load_marks as (

    select * from {{ ref('int_cases__load_marks') }}

),

procedures as (

    select * from {{ ref('stg_raw__procedures') }}

),

with_procedure as (

    select
        cases.*,
        load_marks.events_load_id,
        load_marks.reference_load_id,
        procedure_version.sector,
        procedure_version.online_level,
        procedure_version.statutory_days,
        procedure_version.valid_from as procedure_valid_from,
        procedure_version.is_nearest_version as procedure_version_nearest

    from cases as cases
    inner join load_marks
        on cases.case_code = load_marks.case_code
    left join lateral (
        -- The version in force on the receipt date; failing that the nearest one: the
        -- first starting after the receipt, else the last that ended before (sources.md §3).
        select
            procedures.*,
            -- SQLFluff reads this `not (` as a call to a function `not`.
            not (procedures.valid_from <= cases.received_date  -- noqa: LT01,LT06
                and (procedures.valid_to is null or procedures.valid_to >= cases.received_date))
                as is_nearest_version
        from procedures as procedures
        where procedures.procedure_code = cases.procedure_code
        order by
            case
                when procedures.valid_from <= cases.received_date
                    and (procedures.valid_to is null or procedures.valid_to >= cases.received_date) then 0
                when procedures.valid_from > cases.received_date then 1
                else 2
            end,
            case when procedures.valid_from > cases.received_date then procedures.valid_from end,
            procedures.valid_to desc nulls last
        limit 1
    ) as procedure_version on true

),

dated as (

    select
        *,
        {{ workday_add('received_date', 'statutory_days') }} as statutory_due_date,
        received_at is not null and status_code not in (1, 3) as is_accepted,
        status_code in (7, 8, 9, 10) as is_terminal,
        case
            when status_code in (7, 8, 9, 10)
                then coalesce(terminal_at_date, returned_date, updated_date)
        end as terminal_date,
        status_code in (7, 8, 9, 10) and terminal_at_date is null as terminal_date_fallback,
        -- Rules are chosen by the receipt date (rules.md); a case never received, by its update.
        coalesce(received_date, updated_date) as rule_date

    from with_procedure

),

final as (

    select
        case_code,
        unit_code,
        procedure_code,
        sector,
        online_level,
        statutory_days,
        procedure_valid_from,
        procedure_version_nearest,
        channel,
        received_date,
        appointment_date as original_due_date,
        statutory_due_date,
        coalesce(appointment_date, statutory_due_date) as first_appointment_date,
        appointment_date is null as due_date_derived,
        case
            when appointment_date > statutory_due_date
                then {{ workdays_between('statutory_due_date', 'appointment_date') }}
            when appointment_date is not null then 0
        end as padding_working_days,
        is_accepted,
        status_code = 3 as is_rejected_at_desk,
        is_terminal,
        terminal_date,
        terminal_date_fallback,
        status_code,
        paid_online,
        result_digitised,
        rating,
        applicant_key,
        source_kind,
        last_load_id,
        events_load_id,
        reference_load_id,
        updated_date,
        {{ rule_parameter('apology_lead_days', 'rule_date', 'int') }} as apology_lead_days,
        {{ rule_parameter('multi_supplement_is_late', 'rule_date', 'boolean') }}
            as multi_supplement_is_late

    from dated

)

select * from final

with

cases as (

    select * from {{ ref('int_cases__enriched') }}
    where is_accepted

),

outcomes as (

    select * from {{ ref('int_cases__outcomes') }}

),

apologies as (

    select * from {{ ref('int_cases__apologies') }}

),

transfers as (

    select * from {{ ref('int_cases__transfers') }}

),

judged as (

    select
        cases.*,
        outcomes.timeliness = 'LATE' and cases.terminal_date <= {{ cutoff_date() }} as is_late_case,
        outcomes.due_date as final_due_date,
        outcomes.due_date_at_cutoff,
        outcomes.working_days_late,
        outcomes.is_overdue_at_cutoff

    from cases
    inner join outcomes
        on cases.case_code = outcomes.case_code

),

late_or_overdue as (

    select
        judged.case_code,
        judged.unit_code,
        judged.procedure_code,
        judged.sector,
        judged.received_date,
        case when judged.is_late_case then judged.final_due_date else judged.due_date_at_cutoff end
            as due_date,
        case when judged.is_late_case then judged.terminal_date end as terminal_date,
        case
            when judged.is_late_case then judged.working_days_late
            else {{ workdays_between('judged.due_date_at_cutoff', cutoff_date()) }}
        end as working_days_overdue,
        transfers.holder_unit_at_due,
        apologies.apology_required,
        apologies.apology_issued,
        case when apologies.apology_required then apologies.apology_compliant end as apology_compliant,
        {{ cutoff_date() }} as as_of_date

    from judged
    inner join apologies
        on judged.case_code = apologies.case_code
    inner join transfers
        on judged.case_code = transfers.case_code
    where judged.is_late_case or judged.is_overdue_at_cutoff

)

select * from late_or_overdue

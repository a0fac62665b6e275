{#- Case counts and rates of every unit x period of a spine (int_unit_months or
    int_unit_years): the Biểu 06 columns (rules.md §6), the overdue and apology counts (§4,
    §7) and the online service counts (§8). One definition for both grains, so a monthly
    mart and its _yearly twin cannot drift apart; the marts select from the two models.
    Facts are aggregated per unit and period first and then joined to the spine by key,
    which keeps the join an equality join however many periods there are. -#}
{% macro unit_period_case_counts(spine_model, grain) %}

with

spine as (

    select * from {{ ref(spine_model) }}

),

cases as (

    select * from {{ ref('int_cases__enriched') }}

),

outcomes as (

    select * from {{ ref('int_cases__outcomes') }}

),

apologies as (

    select * from {{ ref('int_cases__apologies') }}

),

due_dates as (

    select * from {{ ref('int_cases__due_dates') }}

),

received as (

    select
        unit_code,
        date_trunc('{{ grain }}', received_date)::date as period_start,
        count(*) filter (where channel = 'ONLINE') as received_online,
        count(*) filter (where channel <> 'ONLINE') as received_direct_postal,
        count(*) filter (where padding_working_days > 0) as padded_appointments,
        count(*) as received_in_period,
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
    where is_accepted
        and received_date <= {{ cutoff_date() }}
    group by 1, 2

),

rejected as (

    select
        unit_code,
        date_trunc('{{ grain }}', coalesce(received_date, updated_date))::date as period_start,
        count(*) as rejected_at_desk

    from cases
    where is_rejected_at_desk
        and coalesce(received_date, updated_date) <= {{ cutoff_date() }}
    group by 1, 2

),

resolved as (

    select
        cases.unit_code,
        date_trunc('{{ grain }}', cases.terminal_date)::date as period_start,
        count(*) as resolved_total,
        count(*) filter (where outcomes.timeliness = 'EARLY') as resolved_early,
        count(*) filter (where outcomes.timeliness = 'ON_TIME') as resolved_on_time,
        count(*) filter (where outcomes.timeliness = 'LATE') as resolved_late,
        coalesce(sum(outcomes.working_days_late), 0)::bigint as working_days_late_total,
        max(outcomes.working_days_late) as working_days_late_max,
        count(*) filter (where outcomes.is_late_only_by_supplement_rule) as late_by_supplement_rule,
        count(*) filter (where outcomes.is_late_by_date) as late_cases,
        count(*) filter (where outcomes.is_late_by_date and apologies.apology_issued) as apology_issued,
        count(*) filter (where outcomes.is_late_by_date and apologies.apology_timely) as apology_timely,
        count(*) filter (where outcomes.is_late_by_date and apologies.apology_complete) as apology_complete,
        count(*) filter (where outcomes.is_late_by_date and apologies.apology_compliant) as apology_compliant,
        count(*) filter (where outcomes.is_late_by_date and apologies.multiple_reappointments)
            as multiple_reappointments,
        count(*) filter (where outcomes.is_late_by_date and apologies.new_date_kept) as new_date_kept,
        count(*) filter (where apologies.unnecessary_apology) as unnecessary_apologies

    from cases
    inner join outcomes
        on cases.case_code = outcomes.case_code
    inner join apologies
        on cases.case_code = apologies.case_code
    where cases.is_terminal
        and cases.terminal_date <= {{ cutoff_date() }}
    group by 1, 2

),

-- Payment, digitised results and ratings count in the period of the terminal date
-- (rules.md §8), whatever the case's timeliness.
resolved_service as (

    select
        unit_code,
        date_trunc('{{ grain }}', terminal_date)::date as period_start,
        -- paid_online is null where no fee applies: only fee-bearing cases count.
        count(paid_online) as fee_cases,
        count(*) filter (where paid_online = 1) as paid_online,
        count(*) filter (where status_code in (9, 10)) as resolved_with_result,
        count(*) filter (where status_code in (9, 10) and result_digitised = 1)
            as digitised_results,
        count(rating) as rated,
        count(*) filter (where rating in (1, 2)) as rated_satisfied

    from cases
    where is_accepted
        and terminal_date <= {{ cutoff_date() }}
    group by 1, 2

),

open_at_period_ends as (

    select
        cases.unit_code,
        due_dates.checkpoint_date,
        count(*) as open_cases,
        count(*) filter (
            where due_dates.due_date < due_dates.checkpoint_date
                and not due_dates.awaiting_supplement
        ) as overdue_cases

    from due_dates
    inner join cases
        on due_dates.case_code = cases.case_code
    where due_dates.is_open_period_end
    group by 1, 2

),

counts as (

    select
        spine.*,
        coalesce(received.received_online, 0)
            + coalesce(received.received_direct_postal, 0)
            + coalesce(carried.open_cases, 0) as received_total,
        coalesce(received.received_online, 0) as received_online,
        coalesce(received.received_direct_postal, 0) as received_direct_postal,
        coalesce(carried.open_cases, 0) as carried_over,
        coalesce(resolved.resolved_total, 0) as resolved_total,
        coalesce(resolved.resolved_early, 0) as resolved_early,
        coalesce(resolved.resolved_on_time, 0) as resolved_on_time,
        coalesce(resolved.resolved_late, 0) as resolved_late,
        coalesce(pending.open_cases, 0) as pending_total,
        coalesce(pending.open_cases - pending.overdue_cases, 0) as pending_in_time,
        coalesce(pending.overdue_cases, 0) as pending_overdue,
        coalesce(rejected.rejected_at_desk, 0) as rejected_at_desk,
        coalesce(resolved.working_days_late_total, 0) as working_days_late_total,
        resolved.working_days_late_max,
        coalesce(resolved.late_by_supplement_rule, 0) as late_by_supplement_rule,
        coalesce(received.padded_appointments, 0) as padded_appointments,
        coalesce(resolved.late_cases, 0) as late_cases,
        coalesce(resolved.apology_issued, 0) as apology_issued,
        coalesce(resolved.apology_timely, 0) as apology_timely,
        coalesce(resolved.apology_complete, 0) as apology_complete,
        coalesce(resolved.apology_compliant, 0) as apology_compliant,
        coalesce(resolved.multiple_reappointments, 0) as multiple_reappointments,
        coalesce(resolved.new_date_kept, 0) as new_date_kept,
        coalesce(resolved.unnecessary_apologies, 0) as unnecessary_apologies,
        coalesce(received.received_in_period, 0) as received_in_period,
        coalesce(received.received_postal, 0) as received_postal,
        coalesce(received.received_capable, 0) as received_capable,
        coalesce(received.received_online_capable, 0) as received_online_capable,
        coalesce(received.received_full_process, 0) as received_full_process,
        coalesce(received.received_online_full_process, 0) as received_online_full_process,
        coalesce(resolved_service.fee_cases, 0) as fee_cases,
        coalesce(resolved_service.paid_online, 0) as paid_online,
        coalesce(resolved_service.resolved_with_result, 0) as resolved_with_result,
        coalesce(resolved_service.digitised_results, 0) as digitised_results,
        coalesce(resolved_service.rated, 0) as rated,
        coalesce(resolved_service.rated_satisfied, 0) as rated_satisfied

    from spine
    left join received
        on spine.unit_code = received.unit_code
        and spine.period_start = received.period_start
    left join rejected
        on spine.unit_code = rejected.unit_code
        and spine.period_start = rejected.period_start
    left join resolved
        on spine.unit_code = resolved.unit_code
        and spine.period_start = resolved.period_start
    left join resolved_service
        on spine.unit_code = resolved_service.unit_code
        and spine.period_start = resolved_service.period_start
    -- Carried over: open at the day before the period starts (the previous period's end).
    left join open_at_period_ends as carried
        on spine.unit_code = carried.unit_code
        and spine.period_start - 1 = carried.checkpoint_date
    left join open_at_period_ends as pending
        on spine.unit_code = pending.unit_code
        and spine.period_end = pending.checkpoint_date

),

-- The rates (marts.md): taken from the period's counts, never averaged over shorter periods.
final as (

    select
        *,
        {{ rate('resolved_early + resolved_on_time', 'resolved_total') }} as on_time_rate,
        {{ rate('resolved_early + resolved_on_time + pending_in_time',
                'resolved_total + pending_total') }} as on_time_rate_766,
        {{ rate('apology_issued', 'late_cases') }} as apology_rate,
        {{ rate('apology_compliant', 'late_cases') }} as apology_compliance_rate,
        {{ rate('received_online', 'received_in_period') }} as online_rate,
        {{ rate('received_online_capable', 'received_capable') }} as online_rate_capable,
        {{ rate('received_online_full_process', 'received_full_process') }}
            as full_process_online_rate,
        {{ rate('received_postal', 'received_in_period') }} as postal_rate,
        {{ rate('paid_online', 'fee_cases') }} as online_payment_rate,
        {{ rate('digitised_results', 'resolved_with_result') }} as digitised_result_rate,
        {{ rate('rated_satisfied', 'rated') }} as rating_satisfaction_rate

    from counts

)

select * from final

{% endmacro %}

{#- The unit x period marts (marts.md): each has a monthly and a yearly table over the same
    counts (int_unit_months__case_counts, int_unit_years__case_counts), so each is one
    macro taking the grain and the two tables cannot drift apart. -#}

{% macro unit_period_mart(grain, count_columns, rates={}) %}
{%- set counts_model = 'int_unit_months__case_counts' if grain == 'month' else 'int_unit_years__case_counts' -%}
{%- set keys = ['unit_code', 'period_year'] + (['period_month'] if grain == 'month' else []) -%}
{%- set rate_columns = [] -%}
{%- for name, fraction in rates.items() -%}
    {%- do rate_columns.append(rate(fraction[0], fraction[1]) ~ ' as ' ~ name) -%}
{%- endfor %}

with

counts as (

    select * from {{ ref(counts_model) }}

),

final as (

    select
        {{ (keys + ['period_start', 'period_end'] + count_columns + rate_columns) | join(',\n        ') }}

    from counts

)

select * from final

{% endmacro %}


{% macro on_time_mart(grain) %}
    {{ unit_period_mart(grain, [
        'received_total', 'received_online', 'received_direct_postal', 'carried_over',
        'resolved_total', 'resolved_early', 'resolved_on_time', 'resolved_late',
        'pending_total', 'pending_in_time', 'pending_overdue', 'rejected_at_desk',
    ], {
        'on_time_rate': ['resolved_early + resolved_on_time', 'resolved_total'],
        'on_time_rate_766': ['resolved_early + resolved_on_time + pending_in_time',
                             'resolved_total + pending_total'],
    }) }}
{% endmacro %}


{% macro overdue_mart(grain) %}
    {{ unit_period_mart(grain, [
        'resolved_late', 'pending_overdue', 'working_days_late_total', 'working_days_late_max',
        'late_by_supplement_rule', 'padded_appointments',
    ]) }}
{% endmacro %}


{% macro apology_letters_mart(grain) %}
    {{ unit_period_mart(grain, [
        'late_cases', 'apology_issued', 'apology_timely', 'apology_complete', 'apology_compliant',
        'multiple_reappointments', 'new_date_kept', 'unnecessary_apologies',
    ], {
        'apology_rate': ['apology_issued', 'late_cases'],
        'apology_compliance_rate': ['apology_compliant', 'late_cases'],
    }) }}
{% endmacro %}

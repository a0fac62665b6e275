{#- The rates of rules.md §8 from the counts of mart_online_service_rate(_yearly):
    one definition for both grains. -#}
{% macro online_service_rates() -%}
    {{ rate('received_online', 'received_total') }} as online_rate,
    {{ rate('received_online_capable', 'received_capable') }} as online_rate_capable,
    {{ rate('received_online_full_process', 'received_full_process') }}
        as full_process_online_rate,
    {{ rate('received_postal', 'received_total') }} as postal_rate,
    {{ rate('paid_online', 'fee_cases') }} as online_payment_rate,
    {{ rate('digitised_results', 'resolved_with_result') }} as digitised_result_rate,
    {{ rate('rated_satisfied', 'rated') }} as rating_satisfaction_rate
{%- endmacro %}

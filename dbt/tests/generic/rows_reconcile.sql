{#- Every delivery accounts for every row it read (sources.md §3). -#}
{% test rows_reconcile(model) %}

select *
from {{ model }}
where status <> 'loading'
    and rows_read <> rows_loaded + rows_quarantined

{% endtest %}

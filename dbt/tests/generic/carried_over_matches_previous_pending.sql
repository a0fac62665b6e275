{#- (11) of one period = (6) of the next, for a unit present in both (rules.md §6). -#}
{% test carried_over_matches_previous_pending(model) %}

select this_period.*
from {{ model }} as this_period
inner join {{ model }} as previous_period
    on this_period.unit_code = previous_period.unit_code
    and previous_period.period_end = this_period.period_start - 1
where this_period.carried_over <> previous_period.pending_total

{% endtest %}

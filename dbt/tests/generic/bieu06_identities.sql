{#- The identities of Biểu 06 that must hold on every row (rules.md §6):
    (3) = (7) + (11), (3) = (4) + (5) + (6), (7) = (8) + (9) + (10), (11) = (12) + (13). -#}
{% test bieu06_identities(model) %}

select *
from {{ model }}
where received_total <> resolved_total + pending_total
    or received_total <> received_online + received_direct_postal + carried_over
    or resolved_total <> resolved_early + resolved_on_time + resolved_late
    or pending_total <> pending_in_time + pending_overdue

{% endtest %}

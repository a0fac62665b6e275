{#- The key of a unit x period table: no two rows share these columns. -#}
{% test unique_combination_of(model, columns) %}

select {{ columns | join(', ') }}, count(*) as row_count
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1

{% endtest %}

{#- A percentage (0-100, unrounded); null when there is nothing to measure (marts.md). -#}
{% macro rate(numerator, denominator) -%}
    100.0 * ({{ numerator }}) / nullif({{ denominator }}, 0)
{%- endmacro %}

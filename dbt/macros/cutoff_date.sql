{#- The data cut-off: open cases are judged here (var cutoff_date, default 31 December of
    report_year). -#}
{% macro cutoff_date() -%}
    {%- set cutoff = var('cutoff_date', none) or (var('report_year') ~ '-12-31') -%}
    date '{{ cutoff }}'
{%- endmacro %}

{#- The date a timestamp falls on in Vietnam: every rule compares local dates (rules.md §3). -#}
{% macro local_date(timestamp_expr) -%}
    (({{ timestamp_expr }}) at time zone 'Asia/Ho_Chi_Minh')::date
{%- endmacro %}

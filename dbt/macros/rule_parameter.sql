{#- The value of a rule parameter (seed rule_parameters) in force on a case's receipt date:
    a row applies from its valid_from date to its valid_to date (open-ended when empty), so a
    rule changed on 1 July applies from 1 July. No rule value is a literal in SQL. -#}
{% macro rule_parameter(parameter, date_expr, cast_to='text') -%}
    (
        select rp.value::{{ cast_to }}
        from {{ ref('rule_parameters') }} as rp
        where rp.parameter = '{{ parameter }}'
            and ({{ date_expr }}) >= rp.valid_from
            and (rp.valid_to is null or ({{ date_expr }}) <= rp.valid_to)
    )
{%- endmacro %}

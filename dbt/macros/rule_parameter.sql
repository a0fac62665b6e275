{#- The value of a rule parameter (seed rule_parameters) in force for a receipt year:
    provinces reissue their rules yearly, so no rule value is a literal in SQL. -#}
{% macro rule_parameter(parameter, year_expr, cast_to='text') -%}
    (
        select rp.value::{{ cast_to }}
        from {{ ref('rule_parameters') }} as rp
        where rp.parameter = '{{ parameter }}'
            and ({{ year_expr }}) between rp.valid_from_year and coalesce(rp.valid_to_year, 9999)
    )
{%- endmacro %}

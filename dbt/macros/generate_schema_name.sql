{#- Schemas are the warehouse's published layout (raw, staging, intermediate, marts):
    use a model's custom schema verbatim instead of dbt's <target>_<custom> prefixing. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {{ custom_schema_name if custom_schema_name is not none else target.schema }}
{%- endmacro %}

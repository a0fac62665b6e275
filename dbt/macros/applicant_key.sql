{#- Keyed hash of an applicant's ID number: repeat applicants can be counted, nobody can be
    identified without the key, which lives in the environment only (never in the database).
    The number is normalised first (id_number_spelling), so one applicant has one key in
    every feed. -#}
{% macro applicant_key(id_expr, applicant_type_expr) -%}
    encode(public.hmac({{ id_number_spelling(id_expr, applicant_type_expr) }}, '{{ env_var("CCHC_APPLICANT_KEY", "cchc-dev-key-not-for-production") }}', 'sha256'), 'hex')
{%- endmacro %}

{#- One spelling per ID number: spaces, dots and dashes removed, letters upper case, and the
    leading zero a spreadsheet drops from a number restored. Vietnamese ID numbers have
    fixed lengths: a citizen's CCCD 12 digits (always starting with 0, the province code)
    or old CMND 9; an organisation's tax code 10, or 13 for a branch. An all-digit number one
    digit short of those lengths (11 or 8 for a citizen, 9 or 12 for an organisation) is one
    that lost its leading zero in a workbook cell stored as a number. Unknown type: citizen. -#}
{% macro id_number_spelling(id_expr, applicant_type_expr) -%}
    (
        select
            case
                when compact.id_number ~ '^[0-9]+$'
                    and length(compact.id_number) in (
                        case when ({{ applicant_type_expr }}) = 2 then 9 else 8 end,
                        case when ({{ applicant_type_expr }}) = 2 then 12 else 11 end
                    )
                    then '0' || compact.id_number
                else compact.id_number
            end
        from (
            select nullif(upper(regexp_replace(({{ id_expr }})::text, '[[:space:].-]', '', 'g')), '')
                as id_number
        ) as compact
    )
{%- endmacro %}

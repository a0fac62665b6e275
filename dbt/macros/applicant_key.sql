{#- Keyed hash of an applicant's ID number: repeat applicants can be counted, nobody can be
    identified without the key. The key reaches the server as the session setting
    cchc.applicant_key (cchc.dbt_runner.dbt_env puts it in PGOPTIONS), so it is in no
    compiled SQL, manifest or log; public.applicant_hash_key() fails clearly without it.
    The key's pads are an uncorrelated subquery: computed once per query, not per row.
    The functions are defined by cchc/sql/bootstrap.sql. The number is normalised first
    (id_number_spelling), so one applicant has one key in every feed. -#}
{% macro applicant_key(id_expr, applicant_type_expr) -%}
    encode(public.hmac_sha256(convert_to({{ id_number_spelling(id_expr, applicant_type_expr) }}, 'UTF8'),
        (select public.hmac_sha256_pads(public.applicant_hash_key()))), 'hex')
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

{#- Keyed hash of an applicant's ID number: repeat applicants can be counted, nobody can be
    identified without the key. The key reaches the server as the session setting
    cchc.applicant_key (cchc.dbt_runner.dbt_env puts it in PGOPTIONS), so it is in no
    compiled SQL, manifest or log; public.applicant_hash_key() fails clearly without it.
    The key's pads are an uncorrelated subquery: computed once per query, not per row.
    The functions are defined by cchc/sql/bootstrap.sql. -#}
{% macro applicant_key(id_expr) -%}
    encode(public.hmac_sha256(convert_to(({{ id_expr }})::text, 'UTF8'),
        (select public.hmac_sha256_pads(public.applicant_hash_key()))), 'hex')
{%- endmacro %}

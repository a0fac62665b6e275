{#- Keyed hash of an applicant's ID number: repeat applicants can be counted, nobody can be
    identified without the key, which lives in the environment only (never in the database). -#}
{% macro applicant_key(id_expr) -%}
    encode(public.hmac(({{ id_expr }})::text, '{{ env_var("CCHC_APPLICANT_KEY", "cchc-dev-key-not-for-production") }}', 'sha256'), 'hex')
{%- endmacro %}

{#- Incremental case-level models: a changed case is recomputed, keyed on case_code.

    Every case-level model carries the case's load marks (int_cases__load_marks):
    last_load_id (delivery of the winning snapshot), events_load_id (latest delivery of
    one of its events), reference_load_id (latest reference delivery) and, for models that
    judge open cases, judged_at_cutoff. On an incremental run a model recomputes exactly
    the cases whose marks differ from the ones it stored: a new snapshot or event raises
    a load id; a superseded delivery changes the winning snapshot (possibly to an older
    one, which a plain "load_id > max processed" would miss); a reference delivery or a
    new cut-off changes every case. Seeds or code changing needs --full-refresh, as for
    any dbt incremental model. -#}

{#- Config shared by the incremental case-level models. A case that vanished from
    `kept_cases` (e.g. it came only in a delivery since superseded, or is no longer
    accepted) is deleted after each run; the hook's ref() is inside its string so that it
    renders at run time (at parse time ref() is a placeholder). -#}
{% macro incremental_case_config(kept_cases='int_cases__enriched', kept_condition='cases.is_accepted') %}
    {{ config(
        materialized='incremental',
        unique_key='case_code',
        incremental_strategy='delete+insert',
        on_schema_change='fail',
        post_hook=["delete from {{ this }} as done where not exists (select 1 from {{ ref('"
                   ~ kept_cases ~ "') }} as cases where cases.case_code = done.case_code and "
                   ~ kept_condition ~ ")"],
    ) }}
{% endmacro %}

{#- The load marks a case-level model stores, from a relation aliased `marks_alias`. -#}
{% macro case_load_marks(marks_alias, judged_at_cutoff=true) -%}
    {{ marks_alias }}.last_load_id,
    {{ marks_alias }}.events_load_id,
    {{ marks_alias }}.reference_load_id
    {%- if judged_at_cutoff %},
    {{ cutoff_date() }} as judged_at_cutoff
    {%- endif %}
{%- endmacro %}

{#- A predicate keeping the cases to (re)compute in this run: all of them on a full
    refresh, else those whose current marks (int_cases__load_marks) differ from the ones
    stored in the model itself. -#}
{% macro is_case_to_refresh(case_code_expr, judged_at_cutoff=true) -%}
    {#- Outside the branch, so that dbt sees the dependency when it parses. -#}
    {%- set load_marks = ref('int_cases__load_marks') -%}
    {%- if is_incremental() -%}
    {{ case_code_expr }} in (
        select current_marks.case_code
        from {{ load_marks }} as current_marks
        left join (
            select distinct case_code, last_load_id, events_load_id, reference_load_id
                {%- if judged_at_cutoff %}, judged_at_cutoff{% endif %}
            from {{ this }}
        ) as stored_marks
            on current_marks.case_code = stored_marks.case_code
        where stored_marks.case_code is null
            or current_marks.last_load_id is distinct from stored_marks.last_load_id
            or current_marks.events_load_id is distinct from stored_marks.events_load_id
            or current_marks.reference_load_id is distinct from stored_marks.reference_load_id
            {%- if judged_at_cutoff %}
            or stored_marks.judged_at_cutoff is distinct from {{ cutoff_date() }}
            {%- endif %}
    )
    {%- else -%}
    true
    {%- endif -%}
{%- endmacro %}

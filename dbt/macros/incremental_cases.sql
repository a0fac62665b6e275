{#- Incremental case-level models: a changed case is recomputed, keyed on case_code.

    Every case-level model carries the case's load marks (int_cases__load_marks):
    last_load_id (delivery of the winning snapshot), events_load_id (latest delivery of
    one of its events), reference_load_id (latest reference delivery) and, for models that
    judge open cases, judged_at_cutoff. On an incremental run a model recomputes the cases
    int_cases__load_marks marked since the build the model last processed: those with a
    snapshot or event in a delivery whose status changed (a new delivery; a superseded one,
    whose cases may fall back to an older snapshot, which a plain "load_id > max
    processed" would miss); every case after a reference delivery or a new cut-off. The
    marks stored stay for lineage and for the data tests of the latest build's rows. Seeds or code changing needs --full-refresh, as for
    any dbt incremental model. -#}

{#- Which build of its input each incremental case-level model last processed, in
    `<staging>.case_model_builds` (model, processed_build): for int_cases__load_marks and
    stg_raw__case_events the build_no of stg_raw__cases's delivery states, for the others
    the marked_build of
    int_cases__load_marks. Written by the model's post-hook in the transaction that writes
    its rows: a failed or skipped build leaves it, and the next run recomputes the same
    cases again. -#}
{%- macro case_model_builds_relation() -%}
    {{ generate_schema_name('staging', none) | trim }}.case_model_builds
{%- endmacro %}

{%- macro case_model_builds_pre_hook() -%}
    create table if not exists {{ case_model_builds_relation() }}
        (model text primary key, processed_build integer not null)
{%- endmacro %}

{#- SQL: the build of its input this model last processed (0: none, recompute all). -#}
{%- macro processed_build(model_name=none) -%}
    coalesce((select processed_build from {{ case_model_builds_relation() }}
        where model = '{{ model_name or this.identifier }}'), 0)
{%- endmacro %}

{#- Post-hook recording the latest build of the model's input, `delivery_states` or
    `load_marks`, as processed. -#}
{%- macro record_processed_build(input) -%}
    {%- set latest = {
        'delivery_states': 'select max(build_no) from ' ~ delivery_states_relation(),
        'load_marks': "select max(marked_build) from {{ ref('int_cases__load_marks') }}",
    }[input] -%}
    insert into {{ case_model_builds_relation() }} (model, processed_build)
    select '{{ "{{ this.identifier }}" }}', coalesce(({{ latest }}), 0)
    on conflict (model) do update set processed_build = excluded.processed_build
{%- endmacro %}

{#- The configuration of every model kept incrementally by case: a build deletes the rows
    of the cases it recomputes and inserts their new rows (a case may have several), so
    `case_code` is the key whatever the model's grain. Only the hooks and indexes differ:
    how a model learns which cases changed, and what it records once they are done. -#}
{% macro incremental_by_case_config(pre_hook, post_hook, indexes=[{'columns': ['case_code']}]) %}
    {{ config(
        materialized='incremental',
        unique_key='case_code',
        incremental_strategy='delete+insert',
        on_schema_change='fail',
        indexes=indexes,
        pre_hook=pre_hook,
        post_hook=post_hook,
    ) }}
{% endmacro %}

{#- Config shared by the incremental case-level models. A changed case that vanished from
    `kept_cases` (e.g. it came only in a delivery since superseded, or is no longer
    accepted) is deleted after each run; then the marks processed are recorded. The hooks'
    ref() and this are inside their strings so that they render at run time (at parse
    time ref() is a placeholder). -#}
{% macro incremental_case_config(kept_cases='int_cases__enriched', kept_condition='cases.is_accepted') %}
    {{ incremental_by_case_config(
        pre_hook=[case_model_builds_pre_hook()],
        post_hook=["delete from {{ this }} as done where done.case_code in (select marks.case_code"
                   " from {{ ref('int_cases__load_marks') }} as marks where marks.marked_build > "
                   "{{ processed_build() }}) and not exists (select 1 from {{ ref('"
                   ~ kept_cases ~ "') }} as cases where cases.case_code = done.case_code and "
                   ~ kept_condition ~ ")",
                   record_processed_build('load_marks')],
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
    refresh or when the cut-off moved, else those int_cases__load_marks marked since the
    build this model last processed (a new snapshot or event, a superseded delivery, a new
    reference load). The models apply it to each per-case input, not only to `cases`:
    every join is on case_code, so the other cases' rows would only be read and dropped.
    The cut-off and the processed build are read when the model compiles and written as
    literals: the planner then sees "marked_build > 41", estimates the few marked cases
    from the index and reads their rows through the case_code indexes. -#}
{% macro is_case_to_refresh(case_code_expr, judged_at_cutoff=true) -%}
    {#- Outside the branch, so that dbt sees the dependency when it parses. -#}
    {%- set load_marks = ref('int_cases__load_marks') -%}
    {%- if is_incremental() -%}
        {%- set state = {'cutoff_moved': false, 'processed': 0} -%}
        {%- if execute -%}
            {%- set moved = ("(select stored.judged_at_cutoff from " ~ this ~ " as stored limit 1)"
                             ~ " is distinct from " ~ cutoff_date()) if judged_at_cutoff else "false" -%}
            {%- set row = run_query("select " ~ moved ~ ", " ~ processed_build()).rows[0] -%}
            {%- do state.update({'cutoff_moved': row[0], 'processed': row[1]}) -%}
        {%- endif -%}
        {%- if state.cutoff_moved -%}
    true
        {%- else -%}
    {{ case_code_expr }} in (
        select marks.case_code
        from {{ load_marks }} as marks
        where marks.marked_build > {{ state.processed }}
    )
        {%- endif -%}
    {%- else -%}
    true
    {%- endif -%}
{%- endmacro %}

{#- What stg_raw__cases has seen of raw.deliveries, so that a daily run reads the day's
    snapshots rather than the year's.

    `<staging>.stg_raw__cases_loads` holds, for each delivery, the status stg_raw__cases
    last built with and `build_no`, the build in which that (delivery, status) pair first
    appeared. It is written by stg_raw__cases's post-hooks, in the same transaction as
    the model's rows: a failed build leaves both as they were, so the next run sees the
    same changes again. The snapshot of raw.deliveries a build works from is taken in a
    pre-hook (temporary table `stg_raw__cases_loads_now`): a delivery committed or
    superseded during the build is a change of the next run. The pre-hook also lists the
    changed cases in a temporary table it analyzes: the planner then knows they are few
    and reads their snapshots through the case_code index, not the year's. -#}

{%- macro delivery_states_relation() -%}
    {{ generate_schema_name('staging', none) | trim }}.stg_raw__cases_loads
{%- endmacro %}

{#- Pre-hooks: the state table, and this build's view of raw.deliveries. -#}
{%- macro delivery_states_pre_hooks() -%}
    {%- set states = delivery_states_relation() -%}
    {{ return([
        "create table if not exists " ~ states ~ " (load_id bigint primary key, status text not null,"
        ~ " build_no integer not null)",
        "create index if not exists stg_raw__cases_loads_build_no on " ~ states ~ " (build_no)",
        "drop table if exists pg_temp.stg_raw__cases_loads_now",
        "create temporary table stg_raw__cases_loads_now as"
        ~ " select load_id, status from raw.deliveries",
        "create unique index on pg_temp.stg_raw__cases_loads_now (load_id)",
        "drop table if exists pg_temp.stg_raw__cases_changed",
        "{% if is_incremental() %}create temporary table stg_raw__cases_changed as"
        ~ " select distinct snapshots.case_code from raw.case_snapshots as snapshots"
        ~ " where snapshots.load_id = any(array(" ~ changed_deliveries() ~ ")){% else %}select 1{% endif %}",
        "{% if is_incremental() %}analyze pg_temp.stg_raw__cases_changed{% else %}select 1{% endif %}",
    ]) }}
{%- endmacro %}

{#- Post-hooks, in order: drop the cases whose winning snapshot's delivery stopped counting
    and that have no other loaded snapshot (the recomputation gave them no row: a retracted
    case); then record this build's delivery states, every pair on a full refresh. -#}
{%- macro delivery_states_post_hooks() -%}
    {%- set states = delivery_states_relation() -%}
    {{ return([
        "delete from {{ this }} where last_load_id in (select load_id from " ~ states
        ~ " where status = 'loaded' except select load_id from pg_temp.stg_raw__cases_loads_now"
        ~ " where status = 'loaded')",
        "{% if should_full_refresh() %}truncate " ~ states ~ "{% else %}select 1{% endif %}",
        "insert into " ~ states ~ " (load_id, status, build_no)"
        ~ " select now_.load_id, now_.status, (select coalesce(max(build_no), 0) + 1 from " ~ states ~ ")"
        ~ " from pg_temp.stg_raw__cases_loads_now as now_ left join " ~ states ~ " as seen"
        ~ " on now_.load_id = seen.load_id where seen.status is distinct from now_.status"
        ~ " on conflict (load_id) do update set status = excluded.status, build_no = excluded.build_no",
        "drop table pg_temp.stg_raw__cases_loads_now",
        "drop table if exists pg_temp.stg_raw__cases_changed",
    ]) }}
{%- endmacro %}

{#- The deliveries whose status changed since stg_raw__cases's last build, as seen by this
    build (the pre-hook's table): new ones, and those superseded or rejected since. -#}
{%- macro changed_deliveries() -%}
    select now_.load_id
    from pg_temp.stg_raw__cases_loads_now as now_
    left join {{ delivery_states_relation() }} as seen
        on now_.load_id = seen.load_id
    where seen.status is distinct from now_.status
{%- endmacro %}

{#- A data test's `where` on a case-level model: on an incremental build, the rows of the
    cases a delivery of the latest build brought or changed (a new snapshot or event, a new
    reference load); after a full refresh every delivery is of the latest build, so every
    row is tested. Cases whose winning snapshot fell back to an older delivery (a supersede)
    or that only a new cut-off changed are tested by the next full build.
    `marks` names the load-mark columns the model has. -#}
{%- macro rows_of_latest_build(marks=('last_load_id', 'events_load_id', 'reference_load_id')) -%}
    {%- set states = delivery_states_relation() -%}
    {%- set latest = "select load_id from " ~ states ~ " where build_no = (select max(build_no) from " ~ states ~ ")" -%}
    ({%- for mark in marks %}{{ mark }} in ({{ latest }}){% if not loop.last %} or {% endif %}{% endfor -%})
{%- endmacro %}

{#- dbt's get_where_subquery (the relation a data test reads), overridden: a data test of
    an incremental model with load marks reads only the rows of rows_of_latest_build(), so
    that a daily build tests the day's cases, not the year's (67 s of a daily build at
    1 M cases). `--vars '{test_every_row: true}'` tests every row. Any `where` of the
    test's own config still applies. -#}
{% macro get_where_subquery(relation) -%}
    {%- set where = config.get('where') -%}
    {%- set marks = [] -%}
    {%- if execute and graph.nodes is defined and relation.identifier is defined
            and not var('test_every_row', false) -%}
        {%- for node in graph.nodes.values()
                if node.resource_type == 'model' and node.config.materialized == 'incremental'
                and node.alias == relation.identifier and node.schema == relation.schema -%}
            {%- for mark in ['last_load_id', 'events_load_id', 'reference_load_id'] if mark in node.columns -%}
                {%- do marks.append(mark) -%}
            {%- endfor -%}
        {%- endfor -%}
    {%- endif -%}
    {%- if marks -%}
        {%- set where = (where ~ ' and ' if where else '') ~ rows_of_latest_build(marks) -%}
    {%- endif -%}
    {%- if where -%}
        {%- do return('(select * from ' ~ relation ~ ' where ' ~ where ~ ') as dbt_subquery') -%}
    {%- else -%}
        {%- do return(relation) -%}
    {%- endif -%}
{%- endmacro %}

{#- The deliveries behind each case's current state, and `marked_build`: the build of
    this model that last recomputed the case. An incremental case-level model recomputes
    the cases marked since the build it last processed (macros/incremental_cases.sql), so
    a daily run reads the day's cases, not the year's.

    Incremental itself: it recomputes the cases having a snapshot or an event in a
    delivery whose status changed since the stg_raw__cases build it last processed
    (macros/delivery_states.sql), every case when the reference load changed. A case
    left without a current snapshot (a retracted case) keeps a row with a null
    last_load_id: its mark tells the case models to drop it. -#}
{#- Analyzed after each build (post-hook): with the day's marks missing from its
    statistics the planner expects one marked case and nests loops over thousands
    (int_cases__due_dates took 37 s instead of 0.3 s at 1 M cases). -#}
{{ incremental_by_case_config(
    pre_hook=[case_model_builds_pre_hook()],
    post_hook=[record_processed_build('delivery_states'), 'analyze {{ this }}'],
    indexes=[{'columns': ['case_code'], 'unique': true}, {'columns': ['marked_build']}],
) }}

with

{% if is_incremental() -%}
changed_deliveries as (

    select load_id
    from {{ delivery_states_relation() }}
    where build_no > {{ processed_build() }}

),

stored_reference as (

    select max(stored.reference_load_id) as reference_load_id
    from {{ this }} as stored

),

current_reference as (

    select max(load_id) as reference_load_id
    from {{ ref('stg_raw__deliveries') }}
    where source_kind = 'reference' and status = 'loaded'

),

reference_changed as (

    select (stored_reference.reference_load_id is distinct from current_reference.reference_load_id) as is_changed
    from stored_reference
    cross join current_reference

),

changed_cases as (

    select snapshots.case_code
    from {{ source('raw', 'case_snapshots') }} as snapshots
    where snapshots.load_id = any(array(select changed_deliveries.load_id from changed_deliveries))
    union
    select events.case_code
    from {{ source('raw', 'case_events') }} as events
    where events.load_id = any(array(select changed_deliveries.load_id from changed_deliveries))
    union
    select stored.case_code
    from {{ this }} as stored
    where (select reference_changed.is_changed from reference_changed)

),

current_cases as (

    -- Through the case_code index: an array is a list the planner knows is short.
    select stg.case_code, stg.last_load_id
    from {{ ref('stg_raw__cases') }} as stg
    where stg.case_code = any(array(select changed_cases.case_code from changed_cases))

),

cases as (

    select
        changed_cases.case_code,
        current_cases.last_load_id
    from changed_cases
    left join current_cases
        on changed_cases.case_code = current_cases.case_code

),

event_loads as (

    select events.case_code, max(events.load_id) as events_load_id
    from {{ ref('stg_raw__case_events') }} as events
    where events.case_code = any(array(select changed_cases.case_code from changed_cases))
    group by events.case_code

),
{%- else -%}
cases as (

    select case_code, last_load_id from {{ ref('stg_raw__cases') }}

),

event_loads as (

    select case_code, max(load_id) as events_load_id
    from {{ ref('stg_raw__case_events') }}
    group by case_code

),
{%- endif %}

reference_load as (

    -- Units, procedures and the calendar change every case's rules.
    select max(load_id) as reference_load_id
    from {{ ref('stg_raw__deliveries') }}
    where source_kind = 'reference'
        and status = 'loaded'

),

final as (

    select
        cases.case_code,
        cases.last_load_id,
        event_loads.events_load_id,
        reference_load.reference_load_id,
        -- Above every build a case model processed: on a full build too, so that a model
        -- not rebuilt with it still sees every case as marked.
        greatest(
            (select max(builds.processed_build) from {{ case_model_builds_relation() }} as builds),
            {%- if is_incremental() %}
            (select max(stored.marked_build) from {{ this }} as stored),
            {%- endif %}
            0
        ) + 1 as marked_build

    from cases
    cross join reference_load
    left join event_loads
        on cases.case_code = event_loads.case_code

)

select * from final

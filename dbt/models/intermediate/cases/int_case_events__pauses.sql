{#- One row per pause of a case: a TAM_DUNG that found processing running, up to the next
    TIEP_TUC (null while still paused). After a TAM_DUNG a case is paused and after a
    TIEP_TUC it runs, whatever came before: a nested TAM_DUNG and an orphan TIEP_TUC are
    recognised from the previous event alone and change nothing (rules.md §3). -#}

with

events as (

    select * from {{ ref('stg_raw__case_events') }}

),

pause_events as (

    select
        case_code,
        event_type,
        event_at,
        event_date,
        lag(event_type) over (
            partition by case_code order by event_at, event_type
        ) as previous_event_type

    from events
    where event_type in ('TAM_DUNG', 'TIEP_TUC')

),

state_changes as (

    select
        case_code,
        event_type,
        event_date,
        -- Starts and resumes alternate strictly, so the n-th resume closes the n-th start
        -- and is the state change right after it. Read with lead(), not a self-join: the
        -- planner cannot estimate this filtered window and chose a nested loop, quadratic
        -- in the province's pauses (a minute at 200 k cases, hours at 10 M).
        row_number() over (
            partition by case_code, event_type order by event_at
        ) as pause_no,
        lead(event_type) over by_time as next_event_type,
        lead(event_date) over by_time as next_event_date

    from pause_events
    where (event_type = 'TAM_DUNG' and coalesce(previous_event_type, 'TIEP_TUC') = 'TIEP_TUC')
        or (event_type = 'TIEP_TUC' and previous_event_type = 'TAM_DUNG')
    window by_time as (partition by case_code order by event_at, event_type)

),

pauses as (

    select
        case_code,
        pause_no,
        event_date as paused_on,
        case when next_event_type = 'TIEP_TUC' then next_event_date end as resumed_on

    from state_changes
    where event_type = 'TAM_DUNG'

)

select * from pauses

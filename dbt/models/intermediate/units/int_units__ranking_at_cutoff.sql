{#- The ranking unit of each unit as of the data cut-off (marts.md fct_cases): follow
    successor_code to the unit in force at the cut-off, then a commune's district. -#}

with recursive

units as (

    select * from {{ ref('int_units') }}

),

successor_chain as (

    select
        unit_code,
        unit_code as current_code,
        0 as depth
    from units

    union all

    select
        successor_chain.unit_code,
        units.successor_code as current_code,
        successor_chain.depth + 1 as depth
    from successor_chain
    inner join units
        on successor_chain.current_code = units.unit_code
    where units.valid_to < {{ cutoff_date() }}
        and units.successor_code is not null
        -- Guards against a successor cycle in the delivered reference data.
        and successor_chain.depth < 20

),

unit_in_force as (

    select distinct on (unit_code)
        unit_code,
        current_code
    from successor_chain
    order by unit_code, depth desc

),

final as (

    select
        unit_in_force.unit_code,
        unit_in_force.current_code as unit_in_force_code,
        case
            when in_force.unit_kind = 'COMMUNE' and in_force.parent_code is not null
                then in_force.parent_code
            else unit_in_force.current_code
        end as ranking_unit_code

    from unit_in_force
    left join units as in_force
        on unit_in_force.current_code = in_force.unit_code

)

select * from final

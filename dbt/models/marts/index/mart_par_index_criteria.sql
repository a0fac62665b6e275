with

criterion_points as (

    select * from {{ ref('int_par_criterion_points') }}

),

final as (

    select
        ranking_unit_code,
        period_year,
        criterion_code,
        component,
        measure_value,
        round(points_exact, 2) as points,
        max_points,
        source,
        counted,
        no_cases,
        methodology_version

    from criterion_points

)

select * from final

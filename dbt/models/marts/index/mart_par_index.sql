with

criterion_points as (

    select * from {{ ref('int_par_criterion_points') }}
    where counted

),

ranked_units as (

    select * from {{ ref('int_par_ranked_units') }}

),

bands as (

    select * from {{ ref('par_classification_bands') }}

),

-- Each component and the total are rounded from exact sums: the total is not the sum
-- of the rounded parts (rules.md §9).
scores as (

    select
        ranking_unit_code,
        period_year,
        round(coalesce(sum(points_exact) filter (where component = 'computed'), 0), 2)
            as computed_points,
        round(coalesce(sum(points_exact) filter (where component = 'appraisal'), 0), 2)
            as appraisal_points,
        round(coalesce(sum(points_exact) filter (where component = 'survey'), 0), 2)
            as survey_points,
        round(coalesce(sum(points_exact) filter (where component = 'satisfaction'), 0), 2)
            as satisfaction_points,
        round(sum(points_exact), 2) as total_score

    from criterion_points
    group by ranking_unit_code, period_year

),

ranked as (

    select
        ranked_units.ranking_unit_code,
        ranked_units.ranking_unit_name,
        ranked_units.period_year,
        ranked_units.league,
        scores.computed_points,
        scores.appraisal_points,
        scores.survey_points,
        scores.satisfaction_points,
        scores.total_score,
        rank() over (
            partition by ranked_units.period_year, ranked_units.league
            order by scores.total_score desc
        ) as rank,
        ranked_units.methodology_version

    from ranked_units
    inner join scores
        on ranked_units.ranking_unit_code = scores.ranking_unit_code
        and ranked_units.period_year = scores.period_year

),

final as (

    select
        ranked.ranking_unit_code,
        ranked.ranking_unit_name,
        ranked.period_year,
        ranked.league,
        ranked.computed_points,
        ranked.appraisal_points,
        ranked.survey_points,
        ranked.satisfaction_points,
        ranked.total_score,
        ranked.rank,
        previous.rank as previous_rank,
        previous.rank - ranked.rank as rank_change,
        band.classification,
        ranked.methodology_version

    from ranked
    left join ranked as previous
        on ranked.ranking_unit_code = previous.ranking_unit_code
        and ranked.period_year - 1 = previous.period_year
    left join lateral (
        select bands.classification
        from bands
        where bands.methodology_version = ranked.methodology_version
            and bands.min_total_score <= ranked.total_score
        order by bands.min_total_score desc
        limit 1
    ) as band on true

)

select * from final

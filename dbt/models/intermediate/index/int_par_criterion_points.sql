-- Every criterion of every ranked unit and year, scored by the methodology in force for
-- the year, in exact decimals: rounding happens once, in the marts (rules.md §9).
with

ranked_units as (

    select ranking_unit_code, period_year, methodology_version
    from {{ ref('int_par_ranked_units') }}

),

criteria as (

    select * from {{ ref('par_criteria') }}

),

steps as (

    select * from {{ ref('par_criterion_steps') }}

),

case_measures as (

    select * from {{ ref('int_par_case_measures') }}

),

appraisal as (

    select
        appraisal_year as period_year,
        unit_code as ranking_unit_code,
        criterion_code,
        score
    from {{ ref('stg_raw__appraisal') }}

),

methodology_criteria as (

    select
        ranked_units.ranking_unit_code,
        ranked_units.period_year,
        ranked_units.methodology_version,
        criteria.criterion_code,
        criteria.component,
        criteria.scoring_kind,
        criteria.target_value,
        criteria.max_points,
        case when criteria.component = 'computed' then 'computed' else 'appraisal' end as source,
        coalesce(case_measures.measure_value, appraisal.score) as measure_value,
        true as counted

    from ranked_units
    inner join criteria
        on ranked_units.methodology_version = criteria.methodology_version
    left join case_measures
        on criteria.component = 'computed'
        and ranked_units.ranking_unit_code = case_measures.ranking_unit_code
        and ranked_units.period_year = case_measures.period_year
        and criteria.measure = case_measures.measure
    left join appraisal
        on criteria.component <> 'computed'
        and ranked_units.ranking_unit_code = appraisal.ranking_unit_code
        and ranked_units.period_year = appraisal.period_year
        and criteria.criterion_code = appraisal.criterion_code

),

-- Appraisal scores the methodology does not score itself: document-judged criteria
-- count as delivered; a score the council gave a computed criterion is reported
-- beside the computed one but does not count (rules.md §9).
other_appraisal_scores as (

    select
        ranked_units.ranking_unit_code,
        ranked_units.period_year,
        ranked_units.methodology_version,
        appraisal.criterion_code,
        coalesce(criteria.component, 'appraisal') as component,
        'as_scored' as scoring_kind,
        null::numeric as target_value,
        criteria.max_points,
        'appraisal' as source,
        appraisal.score as measure_value,
        criteria.criterion_code is null as counted

    from appraisal
    inner join ranked_units
        on appraisal.ranking_unit_code = ranked_units.ranking_unit_code
        and appraisal.period_year = ranked_units.period_year
    left join criteria
        on ranked_units.methodology_version = criteria.methodology_version
        and appraisal.criterion_code = criteria.criterion_code

    where criteria.criterion_code is null or criteria.component = 'computed'

),

criterion_measures as (

    select * from methodology_criteria
    union all
    select * from other_appraisal_scores

),

scored as (

    select
        ranking_unit_code,
        period_year,
        criterion_code,
        component,
        source,
        measure_value,
        case
            -- No case to measure earns full points; an appraisal score never
            -- delivered earns none (the quality gate reports it missing).
            when measure_value is null
                then case when component = 'computed' then max_points else 0 end
            when scoring_kind = 'step'
                then coalesce((
                    select max(steps.points)
                    from steps
                    where steps.methodology_version = criterion_measures.methodology_version
                        and steps.criterion_code = criterion_measures.criterion_code
                        and steps.min_measure <= criterion_measures.measure_value
                ), 0)
            when scoring_kind = 'linear'
                then least(1, measure_value / target_value) * max_points
            when scoring_kind = 'full_if_zero'
                then case when measure_value = 0 then max_points else 0 end
            when scoring_kind = 'pct_of_max'
                then measure_value / 100 * max_points
            when scoring_kind = 'as_scored'
                then measure_value
        end as points_exact,
        max_points,
        source = 'computed' and measure_value is null as no_cases,
        counted,
        methodology_version

    from criterion_measures

)

select * from scored

"""Suite `marts__mart_par_index_criteria`: the appraisal scores of the report year's index.

The index never makes up an appraisal score: a score missing from `appraisal.csv` earns 0
points in the mart, and these checks say so instead of letting it pass unnoticed.
- Missing: a ranked unit without a score for a criterion the methodology scores from
  appraisal (SURVEY, SATISFACTION_PCT), or for a document-judged criterion the council
  scored for other ranked units that year (the methodology does not list the
  document-judged criteria; the province's appraisal decides them, so the year's delivery
  is their list).
- Out of range: a score below 0 or above the criterion's maximum (rules.md §9: the
  satisfaction measurement is a percentage, 0-100; the others are points, 0 to
  max_points; a document-judged criterion outside the methodology has no maximum here).
"""
from __future__ import annotations

from expectations.suites import Check, Scope, SuiteSpec, unexpected_rows


def _asset_query(scope: Scope) -> str:
    return f"""
        select ranking_unit_code as unit_code, criterion_code, component, source, counted,
               measure_value, max_points
        from marts.mart_par_index_criteria
        where period_year = {scope.year}
    """


_MISSING = """
    select u.unit_code, c.criterion_code
    from (select distinct unit_code from {batch} as r) as u
    cross join (
        select distinct criterion_code from {batch} as d
        where d.source = 'appraisal' and d.counted
    ) as c
    left join {batch} as b
           on b.unit_code = u.unit_code and b.criterion_code = c.criterion_code
          and b.source = 'appraisal' and b.counted
    where b.measure_value is null
"""

_OUT_OF_RANGE = """
    select unit_code, criterion_code, measure_value as score,
           case when component = 'satisfaction' then 100 else max_points end as max_score
    from {batch}
    where source = 'appraisal'
      and (measure_value < 0
           or measure_value > case when component = 'satisfaction' then 100 else max_points end)
"""


def _checks(scope: Scope) -> list[Check]:
    return [
        Check(
            name="marts.mart_par_index_criteria.appraisal_score_missing",
            expectation=unexpected_rows(
                _MISSING,
                f"every ranked unit has every appraisal score of {scope.year}",
            ),
            failure_vi=f"đơn vị được xếp hạng thiếu điểm thẩm định năm {scope.year} "
                       "(tiêu chí bị tính 0 điểm)",
            failure_en=f"ranked units missing an appraisal score for {scope.year} "
                       "(the criterion scores 0)",
        ),
        Check(
            name="marts.mart_par_index_criteria.appraisal_score_in_range",
            expectation=unexpected_rows(
                _OUT_OF_RANGE,
                "appraisal scores lie within 0 and the criterion's maximum",
            ),
            failure_vi="điểm thẩm định nằm ngoài khoảng 0 đến điểm tối đa của tiêu chí",
            failure_en="appraisal scores outside 0 to the criterion's maximum",
        ),
    ]


SUITE = SuiteSpec(
    name="marts__mart_par_index_criteria",
    version="1",
    asset_query=_asset_query,
    checks=_checks,
    index_columns=("unit_code", "criterion_code"),
)

"""Suite `quality__completeness`: every unit delivered every month it was expected to.

Validates this run's rows of `quality.completeness` (written by
`expectations.completeness.build_matrix` just before); the rule is documented there.
"""
from __future__ import annotations

from expectations.suites import Check, Scope, SuiteSpec, unexpected_rows


def _asset_query(scope: Scope) -> str:
    return f"select * from quality.completeness where run_id = '{scope.run_id}'"


def _checks(scope: Scope) -> list[Check]:
    return [
        Check(
            name="quality.completeness.monthly_deliveries",
            expectation=unexpected_rows(
                """
                select unit_code, feed_unit_code, feed_kind,
                       string_agg(period_month::text, ', ' order by period_month) as months_missing,
                       count(*) as months, sum(deliveries_received) as deliveries_received,
                       sum(deliveries_loaded) as deliveries_loaded,
                       sum(files_landed) as files_landed
                from {batch}
                where not complete
                group by unit_code, feed_unit_code, feed_kind
                """,
                "every unit has its feed's deliveries for every month it is in force",
            ),
            failure_vi=f"đơn vị thiếu dữ liệu hồ sơ của tháng trong năm {scope.year}",
            failure_en=f"units missing months of case deliveries in {scope.year}",
        ),
    ]


SUITE = SuiteSpec(
    name="quality__completeness",
    version="1",
    asset_query=_asset_query,
    checks=_checks,
    index_columns=("unit_code", "feed_unit_code", "period_month"),
)

"""Suite `raw__deliveries`: no delivery has a share of quarantined rows worth a call.

That every delivery accounts for all of its rows (rows_read = rows_loaded +
rows_quarantined) is the CHECK constraint `reconciles` of raw.deliveries (ingest/schema.sql):
no row breaking it can exist, so no check repeats it.

The asset is every finished delivery (a delivery still `loading` has no totals yet);
`unit_code` is the feed's unit, the one to call about a bad delivery.
"""
from __future__ import annotations

from expectations.suites import Check, Scope, SuiteSpec, unexpected_rows

#: Above this share of quarantined rows a delivery is worth a call to the vendor: typical
#: clean feeds quarantine well under 1 %, a broken export tens of percent.
QUARANTINE_SHARE_MAX = 0.05


def _asset_query(scope: Scope) -> str:
    return """
        select load_id, source_kind, feed_unit_code as unit_code, delivery, delivery_day,
               status, rows_read, rows_loaded, rows_quarantined
        from raw.deliveries
        where status <> 'loading' and record_kind <> 'reference'
    """


def _checks(scope: Scope) -> list[Check]:
    return [
        Check(
            name="raw.deliveries.quarantine_share",
            expectation=unexpected_rows(
                f"""
                select unit_code, delivery, rows_read, rows_quarantined,
                       round(100.0 * rows_quarantined / rows_read, 1) as quarantined_pct
                from {{batch}}
                where status = 'loaded' and rows_read > 0
                  and rows_quarantined > {QUARANTINE_SHARE_MAX} * rows_read
                """,
                f"at most {QUARANTINE_SHARE_MAX:.0%} of a current delivery's rows quarantined",
            ),
            failure_vi=f"bản giao có hơn {QUARANTINE_SHARE_MAX:.0%} số dòng bị cách ly",
            failure_en=f"deliveries with more than {QUARANTINE_SHARE_MAX:.0%} of rows quarantined",
        ),
    ]


SUITE = SuiteSpec(
    name="raw__deliveries",
    version="2",
    asset_query=_asset_query,
    checks=_checks,
)

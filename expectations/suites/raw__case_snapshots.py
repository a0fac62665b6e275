"""Suite `raw__case_snapshots`: the case snapshots of current deliveries are placeable.

Only snapshots of current (`loaded`) deliveries count (sources.md §3: a superseded
delivery's rows stop counting). The asset carries no personal data: its rows end up in
`quality.check_results`, which the report reads.
"""
from __future__ import annotations

from expectations.suites import Check, Scope, SuiteSpec, unexpected_rows

_REQUIRED = ("case_code", "unit_code", "procedure_code", "status_code", "updated_at")


def _asset_query(scope: Scope) -> str:
    return """
        select s.load_id, s.record_no, s.case_code, s.unit_code, s.procedure_code,
               s.status_code, s.updated_at, d.feed_unit_code, d.delivery
        from raw.case_snapshots s
        join raw.deliveries d on d.load_id = s.load_id
        where d.status = 'loaded'
    """


def _missing_fields_sql() -> str:
    # A blank text is as missing as a null: vendors export empty cells, not nulls.
    cases = [
        f"case when {col} is null or btrim({col}::text) = '' then '{col}' end" for col in _REQUIRED
    ]
    return "concat_ws(', ', " + ", ".join(cases) + ")"


def _checks(scope: Scope) -> list[Check]:
    missing = _missing_fields_sql()
    return [
        Check(
            name="raw.case_snapshots.required_fields",
            expectation=unexpected_rows(
                f"""
                select unit_code, feed_unit_code, delivery, record_no, missing_fields
                from (select *, {missing} as missing_fields from {{batch}}) as with_missing
                where missing_fields <> ''
                """,
                "case_code, unit_code, procedure_code, status_code and updated_at are present",
            ),
            failure_vi="bản ghi hồ sơ thiếu trường bắt buộc",
            failure_en="case snapshots missing a required field",
        ),
        Check(
            name="raw.case_snapshots.known_unit",
            expectation=unexpected_rows(
                """
                select b.unit_code, b.feed_unit_code, b.delivery, count(*) as snapshots
                from {batch} as b
                left join raw.ref_units u on u.unit_code = b.unit_code
                where u.unit_code is null
                group by b.unit_code, b.feed_unit_code, b.delivery
                """,
                "every unit_code is in raw.ref_units",
            ),
            failure_vi="hồ sơ có mã đơn vị không có trong danh mục đơn vị",
            failure_en="case snapshots whose unit code is not in the unit list",
        ),
        Check(
            name="raw.case_snapshots.known_procedure",
            expectation=unexpected_rows(
                """
                select b.unit_code, b.procedure_code, b.delivery, count(*) as snapshots
                from {batch} as b
                left join (select distinct procedure_code from raw.ref_procedures) p
                       on p.procedure_code = b.procedure_code
                where p.procedure_code is null
                group by b.unit_code, b.procedure_code, b.delivery
                """,
                "every procedure_code is in raw.ref_procedures",
            ),
            failure_vi="hồ sơ có mã TTHC không có trong danh mục thủ tục",
            failure_en="case snapshots whose procedure code is not in the procedure catalogue",
        ),
        Check(
            name="raw.case_snapshots.duplicate_case_in_delivery",
            expectation=unexpected_rows(
                """
                select feed_unit_code as unit_code, delivery, case_code, count(*) as copies
                from {batch}
                group by feed_unit_code, load_id, delivery, case_code
                having count(*) > 1
                """,
                "a case code appears once per delivery",
            ),
            failure_vi="mã hồ sơ lặp lại trong cùng một bản giao",
            failure_en="case codes repeated within one delivery",
        ),
    ]


SUITE = SuiteSpec(
    name="raw__case_snapshots",
    version="1",
    asset_query=_asset_query,
    checks=_checks,
)

"""Settings shared by every stage: where things are (`cchc.paths`, re-exported here), which
login each stage uses, the local time zone, the applicant key and the warehouse's DSN."""
from __future__ import annotations

import os
from zoneinfo import ZoneInfo

from cchc import embedded_pg
from cchc.paths import (
    DBT_PROJECT_DIR,
    PROJECT_ROOT,
    data_dir,
    reports_dir,
    sample_dir,
    state_dir,
)
from cchc.warehouse import login_dsn

__all__ = [
    "APPLICANT_KEY_MISSING", "DBT_PROJECT_DIR", "LOCAL_TZ", "PROJECT_ROOT", "STAGE_ROLES",
    "MissingApplicantKey", "applicant_key", "data_dir", "reports_dir", "sample_dir",
    "state_dir", "warehouse_dsn",
]

#: The province's time zone: local days, years and schedules (UTC+7 all year, no DST).
LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

#: The login each stage connects as (marts.md §Roles, docs/decisions.md §9). Only the
#: bootstrap uses the administrator: WAREHOUSE_DSN, or the embedded server's superuser.
STAGE_ROLES = {
    "ingest": "loader",         # feeds and reference files into raw
    "dbt": "transformer",       # raw -> seeds, staging, intermediate, marts
    "checks": "checker",        # quality checks over every layer, the gate, waivers
    "report": "reporter",       # marts -> report and its editions
}
#: Airflow's own login: owns its metadata database, nothing in the warehouse.
AIRFLOW_LOGIN = "airflow"

#: What to do when CCHC_APPLICANT_KEY is missing (user-facing: Vietnamese, then English).
APPLICANT_KEY_MISSING = (
    "Chưa đặt khóa băm mã người nộp hồ sơ: hãy đặt biến môi trường CCHC_APPLICANT_KEY bằng "
    "khóa bí mật của Sở (giữ nguyên qua các năm), ví dụ `export CCHC_APPLICANT_KEY=…`, rồi "
    "chạy lại.\n"
    "CCHC_APPLICANT_KEY is not set: set it to the Department's secret key of the applicant "
    "hash (the same every year), e.g. `export CCHC_APPLICANT_KEY=…`, and run again. Only the "
    "bundled sample runs without it."
)


class MissingApplicantKey(RuntimeError):
    """CCHC_APPLICANT_KEY is not set where a real run needs it."""


def warehouse_dsn(stage: str | None = None) -> str:
    """The warehouse connection string: `stage`'s own login (see STAGE_ROLES), or with no
    stage the administrator's, which only the bootstrap uses.

    The warehouse is `WAREHOUSE_DSN` when set (the administrator's when it carries a
    password; Airflow's processes get it without user and password), otherwise the
    project's own embedded Postgres, started on demand (see `cchc.embedded_pg`). A stage's
    DSN is built from where the server is and that login's own password
    (`cchc.credentials`): it never reads the administrator's.
    """
    configured = os.environ.get("WAREHOUSE_DSN")
    if stage is None and configured:
        return configured
    if not configured:
        server = embedded_pg.ensure_running()
        if stage is None:
            return server.dsn(embedded_pg.WAREHOUSE_DB)
        configured = server.address(embedded_pg.WAREHOUSE_DB)
    return login_dsn(configured, STAGE_ROLES[stage])


def applicant_key(required: bool = True) -> str | None:
    """The HMAC key of `applicant_key` (CCHC_APPLICANT_KEY); never stored anywhere.

    There is no default: a committed key would be no secret. Missing, it raises
    MissingApplicantKey, or returns None when not `required`.
    """
    key = os.environ.get("CCHC_APPLICANT_KEY")
    if not key and required:
        raise MissingApplicantKey(APPLICANT_KEY_MISSING)
    return key or None

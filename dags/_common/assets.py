"""The assets that chain the stage DAGs: ingest → transform → quality gate."""
from __future__ import annotations

from airflow.sdk import Asset

RAW_CASES = Asset("cchc://raw/cases")
RAW_REFERENCE = Asset("cchc://raw/reference")
MARTS = Asset("cchc://marts/tables")
QUALITY_RESULTS = Asset("cchc://quality/check_results")

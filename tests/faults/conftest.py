"""Fixtures of the fault tests: the ingest kit's (see tests/ingest/kit.py) and the DAG
tests' Airflow session (see tests/dags/conftest.py)."""
from tests.dags.conftest import airflow_configured, airflow_session_env  # noqa: F401
from tests.ingest.kit import data_dir, dsn  # noqa: F401

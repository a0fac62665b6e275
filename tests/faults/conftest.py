"""Fixtures of the fault tests, shared with the ingest tests (see kit.py)."""
from tests.ingest.kit import data_dir, dsn  # noqa: F401

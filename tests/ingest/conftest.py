"""Fixtures of the ingest tests (see kit.py)."""
from tests.ingest.kit import data_dir, dsn  # noqa: F401

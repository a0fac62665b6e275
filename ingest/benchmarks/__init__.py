"""Benchmarks of ingest (run by hand, not by the tests)."""

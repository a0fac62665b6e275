"""Shared plumbing of the CCHC warehouse: settings, the warehouse database, dbt, the CLI."""

"""Feeds → raw layer: reference data, daily CSV files, monthly workbooks and vendor APIs.

Entry points live in `ingest.pipeline`; `python -m ingest` is the command line. This
package never imports Airflow: DAGs call it.
"""

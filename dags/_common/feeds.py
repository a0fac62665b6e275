"""The feeds of the data directory, as the DAG files need them at parse time.

Parsing reads sources.yml only (a small YAML file). Validation is ingest's job: it
loads the registry when a task runs and names the entry to fix.
"""
from __future__ import annotations

import logging
from pathlib import Path

import yaml

log = logging.getLogger(__name__)


def data_dir() -> Path:
    """The data directory of the scheduled DAGs: CCHC_DATA_DIR, else the bundled sample."""
    from cchc.settings import data_dir as configured

    return configured()


def feeds(data_dir: Path) -> list[tuple[str, str]]:
    """(unit_code, kind) of every feed in `<data_dir>/reference/sources.yml`."""
    sources = data_dir / "reference" / "sources.yml"
    if not sources.is_file():
        log.warning("No %s: no ingest DAG per feed is generated (set CCHC_DATA_DIR).", sources)
        return []
    document = yaml.safe_load(sources.read_text(encoding="utf-8")) or {}
    return [(str(entry["unit_code"]), str(entry["kind"])) for entry in document.get("sources") or []]


def ingest_dag_id(unit_code: str) -> str:
    """`ingest__H31_305_07` for unit H31.305.07."""
    return f"ingest__{unit_code.replace('.', '_')}"

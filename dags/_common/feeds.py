"""The feeds of the data directory, as the DAG files need them at parse time.

Parsing reads sources.yml through ingest's validation, one entry at a time
(`ingest.registry.load_entries`): a broken entry becomes a DAG saying what to fix in it,
and every other feed keeps its DAG.
"""
from __future__ import annotations

import logging
from pathlib import Path

log = logging.getLogger(__name__)


def data_dir() -> Path:
    """The data directory of the scheduled DAGs: CCHC_DATA_DIR, else the bundled sample."""
    from cchc.settings import data_dir as configured

    return configured()


def feeds(data_dir: Path) -> tuple[list[tuple[str, str]], dict[str, list[str]]]:
    """(unit_code, kind) of every valid feed in `<data_dir>/reference/sources.yml`, and the
    problems of each invalid entry by the DAG id it would have had."""
    from ingest.registry import load_entries

    if not (data_dir / "reference" / "sources.yml").is_file():
        log.warning("No sources.yml in %s/reference: no ingest DAG per feed is generated "
                    "(set CCHC_DATA_DIR).", data_dir)
        return [], {}
    valid, invalid = load_entries(data_dir)
    broken: dict[str, list[str]] = {}
    for entry in invalid:
        dag_id = ingest_dag_id(entry.unit_code) if entry.unit_code else f"ingest__entry_{entry.number}"
        broken.setdefault(dag_id, []).extend(entry.problems)
        for problem in entry.problems:
            log.error("%s", problem)
    return [(feed.unit_code, feed.kind) for feed in valid], broken


def ingest_dag_id(unit_code: str) -> str:
    """`ingest__H31_305_07` for unit H31.305.07."""
    return f"ingest__{unit_code.replace('.', '_')}"

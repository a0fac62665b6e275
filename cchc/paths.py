"""Where the project's files are, and its run-time state.

Everything the project creates at run time lives under `<repo>/.local/` (the embedded
database, Airflow's home, generated sample data, reports), so a fresh clone has no state
and `git clean -xfd` returns a machine to it.

The bottom of the base package: it imports nothing of the project, so that every other
module (the embedded server, the credentials) can ask where things are.
"""
from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt"


def state_dir() -> Path:
    """The folder for run-time state (overridable with CCHC_STATE_DIR, e.g. in tests)."""
    return Path(os.environ.get("CCHC_STATE_DIR", PROJECT_ROOT / ".local")).resolve()


def sample_dir() -> Path:
    """Where the bundled sample province is generated."""
    return state_dir() / "sample"


def data_dir() -> Path:
    """The Department's data directory (sources.md §1b): CCHC_DATA_DIR, else the sample's."""
    configured = os.environ.get("CCHC_DATA_DIR")
    return Path(configured) if configured else sample_dir() / "data"


def reports_dir() -> Path:
    """Default output folder of the annual report."""
    return Path(os.environ.get("CCHC_REPORTS_DIR", state_dir() / "reports")).resolve()

"""Readers of the three feed kinds, and what file deliveries have in common.

A file reader discovers the deliveries in a drop folder, checks that one is complete,
and yields one `ingest.land.Parsed` per source record.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path


@dataclass(frozen=True)
class FileDelivery:
    """One delivered file and the days it covers."""

    path: Path
    record_kind: str        # raw.deliveries.record_kind: cases | events | cases_and_events
    first_day: date         # first day the file covers
    day: date               # raw.deliveries.delivery_day: the last day it covers

    @property
    def name(self) -> str:
        return self.path.name

    def overlaps(self, day_from: date | None, day_to: date | None) -> bool:
        """Whether the file covers any day of [day_from, day_to] (None = unbounded)."""
        return (day_from is None or self.day >= day_from) and (
            day_to is None or self.first_day <= day_to)


def file_sha256(path: Path) -> str:
    """Hex sha256 of a file's bytes, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()

"""The datasets the API emulator serves (sources.md §2.1): `<api>/<feed unit>.jsonl`.

One record per line: the latest state of every case the feed delivers (its own unit's
and those it carries), events nested, ordered by `NgayCapNhat` then `MaHoSo`. A few
records come with their times in UTC (+00:00), as one platform's export does, so the
loader's offset conversion is exercised.
"""
from __future__ import annotations

import json
import zlib
from datetime import UTC, timezone
from pathlib import Path

from sampledata.feeds import Feed
from sampledata.formats import LOCAL, api_record
from sampledata.lifecycle import Case, Snapshot

UTC_SHARE = 97  # about one record in this many is written in UTC


def _offset(code: str) -> timezone:
    return UTC if zlib.crc32(code.encode()) % UTC_SHARE == 0 else LOCAL


def write_api_feed(feed: Feed, snapshots: list[Snapshot], cases: dict[str, Case],
                   api_dir: Path) -> dict[str, int]:
    """Write a feed's dataset; returns its counts."""
    latest: dict[str, Snapshot] = {}
    for snap in snapshots:
        latest[snap.code] = snap
    records = sorted(latest.values(), key=lambda s: (s.updated, s.code))
    lines = []
    events = 0
    for snap in records:
        nested = [e for e in cases[snap.code].events if e.at <= snap.updated]
        events += len(nested)
        lines.append(json.dumps(api_record(snap, nested, _offset(snap.code)), ensure_ascii=False))
    api_dir.mkdir(parents=True, exist_ok=True)
    (api_dir / f"{feed.unit_code}.jsonl").write_text("".join(f"{line}\n" for line in lines),
                                                    encoding="utf-8")
    return {"files": 1, "records": len(records), "events": events}

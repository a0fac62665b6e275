"""The datasets the API emulator serves (sources.md §2.1): `<api>/<feed unit>.jsonl`.

One record per line: the latest state of every case the feed delivers (its own unit's
and those it carries), events nested, ordered by `NgayCapNhat` then `MaHoSo`. A few
records come with their times in UTC (+00:00), as one platform's export does, so the
loader's offset conversion is exercised.
"""
from __future__ import annotations

import json
import zlib
from collections.abc import Iterable
from datetime import UTC, timezone
from pathlib import Path

from sampledata.feeds import Feed
from sampledata.formats import LOCAL, api_record
from sampledata.lifecycle import Event, Snapshot

UTC_SHARE = 97  # about one record in this many is written in UTC


def _offset(code: str) -> timezone:
    return UTC if zlib.crc32(code.encode()) % UTC_SHARE == 0 else LOCAL


def write_api_feed(feed: Feed, records: Iterable[tuple[Snapshot, list[Event]]],
                   api_dir: Path) -> dict[str, int]:
    """Write a feed's dataset from (latest snapshot, events up to it) in API order; returns
    its counts."""
    api_dir.mkdir(parents=True, exist_ok=True)
    count = events = 0
    with (api_dir / f"{feed.unit_code}.jsonl").open("w", encoding="utf-8") as out:
        for snap, nested in records:
            count += 1
            events += len(nested)
            out.write(json.dumps(api_record(snap, nested, _offset(snap.code)),
                                 ensure_ascii=False) + "\n")
    return {"files": 1, "records": count, "events": events}

"""Server-side sessions: ids are random, credentials never leave the store, expiry is idle time."""
from __future__ import annotations

import time

from web.sessions import SessionStore


def test_a_dropped_or_idle_session_is_gone():
    store = SessionStore(idle_timeout=0.05)
    first, second = store.create("thanhtra_a", "pw-a"), store.create("thanhtra_b", "pw-b")
    assert first != second and len(first) >= 40
    assert store.get(first).password == "pw-a"
    store.drop(first)
    assert store.get(first) is None
    assert store.get("made-up-id") is None and store.get(None) is None
    time.sleep(0.1)
    assert store.get(second) is None
    assert len(store) == 0

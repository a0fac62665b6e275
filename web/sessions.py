"""Server-side sessions: a person's warehouse credentials live only in this process.

The browser holds a random session id and nothing else; logging out, or idling past
IDLE_TIMEOUT, deletes the entry, after which the id is worthless.
"""
from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, field

IDLE_TIMEOUT = 30 * 60  # seconds


@dataclass
class Session:
    login: str
    password: str
    csrf_token: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    last_seen: float = field(default_factory=time.monotonic)


class SessionStore:
    """Thread-safe map of random session ids to the credentials of a signed-in person."""

    def __init__(self, idle_timeout: float = IDLE_TIMEOUT) -> None:
        self._sessions: dict[str, Session] = {}
        self._lock = threading.Lock()
        self._idle_timeout = idle_timeout

    def create(self, login: str, password: str) -> str:
        session_id = secrets.token_urlsafe(32)
        with self._lock:
            self._sessions[session_id] = Session(login, password)
        return session_id

    def get(self, session_id: str | None) -> Session | None:
        """The live session of `session_id` (touched), or None when unknown or expired."""
        if not session_id:
            return None
        now = time.monotonic()
        with self._lock:
            session = self._sessions.get(session_id)
            if session is None:
                return None
            if now - session.last_seen > self._idle_timeout:
                del self._sessions[session_id]
                return None
            session.last_seen = now
            return session

    def drop(self, session_id: str | None) -> None:
        with self._lock:
            self._sessions.pop(session_id or "", None)

    def __len__(self) -> int:
        with self._lock:
            return len(self._sessions)

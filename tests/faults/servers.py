"""A PostgreSQL server of a test's own, to restart or stop without disturbing anyone.

It is started by the same machinery as the embedded warehouse (`cchc.embedded_pg`),
pointed at a temporary state folder; restarting it never touches the session's server
or the machine's shared one.
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from cchc import embedded_pg


@contextmanager
def _state(state_dir: Path) -> Iterator[None]:
    previous = os.environ.get("CCHC_STATE_DIR")
    os.environ["CCHC_STATE_DIR"] = str(state_dir)
    try:
        yield
    finally:
        if previous is None:
            del os.environ["CCHC_STATE_DIR"]
        else:
            os.environ["CCHC_STATE_DIR"] = previous


@dataclass(frozen=True)
class ThrowawayServer:
    state_dir: Path
    port: int

    def dsn(self, dbname: str = embedded_pg.WAREHOUSE_DB) -> str:
        # The superuser's password is this server's own, generated under its state folder.
        with _state(self.state_dir):
            return embedded_pg.EmbeddedServer(self.port, self.state_dir).dsn(dbname)

    def restart(self) -> None:
        """`pg_ctl restart -m fast` on the same port: every session is terminated (57P01)."""
        with _state(self.state_dir):
            embedded_pg.restart()

    def stop(self) -> None:
        with _state(self.state_dir):
            embedded_pg.stop()


@contextmanager
def throwaway_server(state_dir: Path) -> Iterator[ThrowawayServer]:
    """A running server with its data in `state_dir/pg`; stopped on exit."""
    with _state(state_dir):
        server = embedded_pg.ensure_running()
    try:
        yield ThrowawayServer(state_dir, server.port)
    finally:
        with _state(state_dir):
            embedded_pg.stop()

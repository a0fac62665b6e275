"""Connections as the signed-in person, and the one way pages read rows."""
from __future__ import annotations

import psycopg
from psycopg.rows import dict_row

#: A page that takes longer than this is cut off rather than holding the server.
STATEMENT_TIMEOUT_MS = 15_000


class LoginRefused(Exception):
    """The warehouse refused the login name or password."""


def connect_as(server: str, login: str, password: str) -> psycopg.Connection:
    """A read-only connection to the warehouse at `server` as `login`.

    Read-only and time-limited on the session: whatever a person's role could write, the
    web app never does.
    """
    try:
        conn = psycopg.connect(
            server, user=login, password=password, connect_timeout=10, row_factory=dict_row,
            options=f"-c default_transaction_read_only=on -c statement_timeout={STATEMENT_TIMEOUT_MS}",
        )
    except psycopg.OperationalError as error:
        # An unknown login fails the same way as a wrong password (scram-sha-256).
        if "password authentication failed" in str(error):
            raise LoginRefused(login) from error
        raise
    return conn


def rows(conn: psycopg.Connection, sql: str, params: dict | None = None) -> list[dict]:
    return conn.execute(sql, params or {}).fetchall()

"""Retrying work that failed because the database connection failed, not because of the data.

A PostgreSQL server that restarts (a deployment, a crash recovery, `pg_ctl restart`) ends
every session with 57P01 (admin shutdown) or 57P02 (crash shutdown), refuses new ones with
57P03 (starting up) or "connection refused" for a few seconds, and a dropped network link
shows as SQLSTATE class 08 or "server closed the connection unexpectedly". Each of our
steps is idempotent (a delivery commits with its rows or not at all; dbt rebuilds whole
models), so the step is simply done again, with growing pauses, for a bounded time. Any
other error — a constraint, a bad cast, a file that does not parse — is about the data:
it is raised at once, since doing it again cannot change the outcome.
"""
from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TypeVar

import tenacity

log = logging.getLogger(__name__)
T = TypeVar("T")

#: SQLSTATEs of a server going away or not yet back (class 08 is matched by prefix).
TRANSIENT_SQLSTATES = frozenset({"57P01", "57P02", "57P03"})
#: libpq messages without a SQLSTATE: the socket broke, or nobody listens yet.
_TRANSIENT_MESSAGES = (
    "server closed the connection unexpectedly",
    "connection refused",
    "the database system is starting up",
    "the database system is shutting down",
    "the database system is in recovery mode",
    "terminating connection due to administrator command",
    "consuming input failed",
    "connection is lost",
    "connection is closed",
    "ssl syscall error: eof detected",
)


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def names_lost_connection(text: str) -> bool:
    """True when a message (e.g. a logged exception line) says the connection was lost or
    refused."""
    return any(message in text.lower() for message in _TRANSIENT_MESSAGES)


def is_transient(exc: BaseException) -> bool:
    """True when `exc` (or an exception it was raised from) is a lost or refused connection."""
    for link in _chain(exc):
        sqlstate = getattr(link, "sqlstate", None) or getattr(link, "pgcode", None)
        if isinstance(sqlstate, str) and (sqlstate.startswith("08") or sqlstate in TRANSIENT_SQLSTATES):
            return True
        if names_lost_connection(str(link)):
            return True
    return False


def _budget_from_env() -> float:
    return float(os.environ.get("CCHC_DB_RETRY_SECONDS", "180"))


@dataclass(frozen=True)
class Backoff:
    """Pauses of `base`, 2×`base`, … capped at `cap` seconds, until `budget` seconds have
    passed since the first failure (default CCHC_DB_RETRY_SECONDS, 180 s: a restart takes
    seconds, a server that stays away longer needs a person)."""

    base: float = 1.0
    cap: float = 20.0
    budget: float = field(default_factory=_budget_from_env)
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic


class DatabaseUnavailable(RuntimeError):
    """The database stayed unreachable for the whole retry budget."""


def retry_transient(work: Callable[[], T], what: str, backoff: Backoff | None = None) -> T:
    """`work()`, done again after each transient connection error until the budget is spent.

    Raises DatabaseUnavailable (from the last error) when the budget runs out, and any
    other error unchanged at once.
    """
    backoff = backoff or Backoff()
    first_failure: list[float] = []  # the clock at the first failure: the budget runs from it

    def budget_spent(state: tenacity.RetryCallState) -> bool:
        now = backoff.clock()
        first_failure[:1] = first_failure or [now]
        return now - first_failure[0] + state.upcoming_sleep > backoff.budget

    def log_retry(state: tenacity.RetryCallState) -> None:
        log.warning("%s: database connection failed (%s); attempt %d again in %.0f s",
                    what, _first_line(state.outcome.exception()), state.attempt_number + 1,
                    state.upcoming_sleep)

    retrying = tenacity.Retrying(
        retry=tenacity.retry_if_exception(is_transient),
        wait=tenacity.wait_exponential(multiplier=backoff.base, max=backoff.cap),
        stop=budget_spent,
        sleep=backoff.sleep,
        before_sleep=log_retry,
    )
    try:
        return retrying(work)
    except tenacity.RetryError as spent:
        error = spent.last_attempt.exception()
        waited = backoff.clock() - first_failure[0]
        raise DatabaseUnavailable(
            f"{what}: the database stayed unreachable for {waited:.0f} s "
            f"({spent.last_attempt.attempt_number} attempts); last error: {str(error).strip()}"
        ) from error


def _first_line(error: BaseException | None) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__

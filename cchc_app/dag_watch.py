"""The watchdog of a `dags test` run: which task instance runs, the last error, and how
long nothing was logged."""
from __future__ import annotations

import os
import re
import time

from cchc_app.progress import LOG_LINE

#: `dags test` runs task instances one after another inside its own process. When the
#: metadata database goes away just as one ends, its end is never recorded: it stays
#: `running` (or `queued`) while nothing runs it, and `dags test` waits for it for ever.
#: The runner notices (nothing but "No tasks to run" logged for STALL_SECONDS while the
#: database shows such a task instance), hands each abandoned one back to the loop once,
#: and stops the run if that does not help.
_TASK_START = re.compile(r"\[DAG TEST\] starting task_id=(?P<task>\S+) map_index=(?P<map>-?\d+)")
#: What `dags test` logs every second while no task instance can start: not progress.
_WAITING = "No tasks to run. unrunnable tasks:"
#: How `dags test` reports that the task it just ran ended without a recorded state.
_TASK_LOST = ("[DAG TEST] Error running task", "Task failed; ti=")
#: The last line of a Python traceback: `package.module.ErrorClass: message`.
_EXCEPTION_LINE = re.compile(r"^(?:[a-z_]\w*\.)*[A-Z]\w*: \S")


def _seconds(name: str, default: float) -> float:
    return float(os.environ.get(name, default))


class Watch:
    """Follows a run's output: the task instance running now, the last error, and how long
    nothing was logged."""

    def __init__(self, clock=time.monotonic) -> None:
        self._clock = clock
        self.stall_seconds = _seconds("CCHC_RUN_STALL_SECONDS", 30)
        # Nothing logged for this long once tasks run: a task or Airflow itself is blocked
        # without a timeout (every task also has an execution_timeout).
        self.silence_seconds = _seconds("CCHC_RUN_SILENCE_SECONDS", 3600)
        self.current: tuple[str, int] | None = None
        self.current_ended = False
        self.error = ""
        self._last_line = clock()

    def saw(self, line: str) -> None:
        if _WAITING in line:
            return
        self._last_line = self._clock()
        if started := _TASK_START.search(line):
            self.current = (started["task"], int(started["map"]))
            self.current_ended = False
        elif any(marker in line for marker in _TASK_LOST):
            self.current_ended = True
        match = LOG_LINE.match(line)
        if match is None and _EXCEPTION_LINE.match(line):
            self.error = line.strip()

    def silent_for(self) -> float:
        return self._clock() - self._last_line

    def idle(self, ti: tuple[str, int]) -> bool:
        """True when `ti` is not the task instance `dags test` is running now."""
        return ti != self.current or self.current_ended


def label(ti: tuple[str, int]) -> str:
    return ti[0] if ti[1] < 0 else f"{ti[0]}[{ti[1]}]"

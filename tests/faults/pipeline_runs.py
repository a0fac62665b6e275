"""`cchc run` (what `make run` does) as a subprocess the fault tests can interrupt.

Every run uses its own state folder; the warehouse is the embedded server of that folder,
or `WAREHOUSE_DSN` when given. A small sample province keeps one run to a few minutes.
"""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cchc.net import free_port
from cchc_app.progress import RESUME_HINT

#: Every unit still delivers every month at this size; a run takes ~4 min on an idle machine.
SAMPLE_SCALE = 0.02
#: No run may take longer (a clean one takes 5–15 min on two busy cores): a run still
#: going after this has hung, which is the bug itself.
RUN_LIMIT_SECONDS = 2400


@dataclass(frozen=True)
class RunResult:
    returncode: int
    output: str
    seconds: float
    # whether the fault (`then`) happened: a marker never seen would test nothing
    faulted: bool = False

    def ended_cleanly_or_explained(self) -> bool:
        """Succeeded, or failed saying why and how to resume."""
        return self.returncode == 0 or ("THẤT BẠI" in self.output and RESUME_HINT in self.output)


#: One emulator port for every run of this session: the port is written into the sample's
#: sources.yml, so runs compared with each other must share it; other sessions on the
#: machine (the default 18080) must not.
API_PORT = free_port()


def run_env(state_dir: Path, warehouse_dsn: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("WAREHOUSE_DSN", "CCHC_AIRFLOW_DB", "CCHC_DATA_DIR", "CCHC_REPORTS_DIR")}
    env["CCHC_STATE_DIR"] = str(state_dir)
    env["CCHC_SAMPLE_API_PORT"] = str(API_PORT)
    if warehouse_dsn:
        env["WAREHOUSE_DSN"] = warehouse_dsn
    return env


#: The first line of `cchc run`: where the run's whole output (Airflow, dbt) goes.
_FULL_LOG = re.compile(r"full log: (?P<path>\S+)")


def _follow(path: Path, proc: subprocess.Popen, when: Callable[[str], bool],
            then: Callable[[subprocess.Popen], None], triggered: threading.Event) -> None:
    """Read the run's log as it is written; `then(proc)` once at the first line `when`
    accepts."""
    while not path.exists() and proc.poll() is None:
        time.sleep(0.1)
    with path.open(encoding="utf-8", errors="replace") as log:
        while proc.poll() is None:
            line = log.readline()
            if not line:
                time.sleep(0.1)
            elif when(line):
                then(proc)
                triggered.set()
                return


def cchc_run(env: dict[str, str], when: Callable[[str], bool] | None = None,
             then: Callable[[subprocess.Popen], None] | None = None) -> RunResult:
    """One `cchc run` in a process group of its own (as `make run` at a terminal);
    `then(process)` is called once, after the first line of the run's full log (Airflow's
    and the tasks' output: the terminal shows only the progress display) `when` accepts."""
    started = time.monotonic()
    lines: list[str] = []
    triggered = threading.Event()
    with subprocess.Popen(
            [sys.executable, "-m", "cchc_app.cli", "run", "--sample-scale", str(SAMPLE_SCALE)],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            start_new_session=True) as proc:
        for line in proc.stdout:
            lines.append(line)
            if when is not None and (log := _FULL_LOG.search(line)):
                threading.Thread(target=_follow, daemon=True, args=(
                    Path(log["path"]), proc, when, then, triggered)).start()
                when = None
            if time.monotonic() - started > RUN_LIMIT_SECONDS:
                proc.kill()
                raise AssertionError(f"cchc run still going after {RUN_LIMIT_SECONDS} s:\n"
                                     + "".join(lines[-40:]))
    return RunResult(proc.returncode, "".join(lines), time.monotonic() - started,
                     triggered.is_set())


class Nth:
    """Accepts the n-th log line containing `marker`."""

    def __init__(self, marker: str, n: int) -> None:
        self.marker, self.left = marker, n

    def __call__(self, line: str) -> bool:
        if self.marker in line:
            self.left -= 1
        return self.left <= 0


def mid_ingest() -> Nth:
    """After the 8th feed of ~80 has been ingested."""
    return Nth("deliveries processed", 8)


def mid_dbt() -> Nth:
    """When dbt, in the pipeline's one `dbt_build` task, reports its 20th model of ~50 built:
    staging done, some intermediate and incremental models written, the marts not yet."""
    return Nth(" OK created sql ", 20)


def kill_process_group(proc: subprocess.Popen) -> None:
    """SIGKILL to the whole run: the CLI, `airflow dags test`, dbt, the API emulator."""
    os.killpg(proc.pid, signal.SIGKILL)

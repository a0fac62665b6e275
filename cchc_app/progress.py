"""The one progress display of `cchc run` / `make run`.

A pipeline run prints hundreds of Airflow, dbt and migration log lines; a person needs
three things: which stage the run is in (reference → feeds → dbt → checks → gate →
report), how many feeds are done out of all, and how long it has been running. Every
line goes to the run's log file; the display reads the same lines and shows:

    [cchc] 01:42 ▸ 2/6 feeds — nạp dữ liệu các đơn vị  [########--------] 12/24

On a terminal that status line is redrawn in place. Elsewhere (CI, a pipe, a test) a
line is printed when the stage changes and when the feeds pass each quarter, so that a
whole run stays a few lines long. A failure ends with a short bilingual summary: the
stage and task that failed, Airflow's error message, and the log file to read.
"""

from __future__ import annotations

import re
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

#: How to resume after any failure: every step is idempotent and deliveries commit one by one.
RESUME_HINT = ("Chạy lại đúng lệnh này: các lần nạp đã hoàn tất được giữ lại, không nạp lại. / "
               "Rerun the same command: finished deliveries are kept.")
#: The stages in run order, with what each one does in Vietnamese.
STAGES = {
    "reference": "nạp danh mục",
    "feeds": "nạp dữ liệu các đơn vị",
    "dbt": "dựng kho dữ liệu (dbt)",
    "checks": "kiểm tra chất lượng",
    "gate": "quyết định công bố",
    "report": "lập báo cáo",
}
#: Task ids of the pipeline DAG (dags/cchc__annual_pipeline.py) → stage. A task not listed
#: keeps the current stage.
_TASK_STAGES = {
    "load_reference": "reference",
    "list_feeds": "feeds",
    "ingest_feed": "feeds",
    "dbt_build": "dbt",
    "run_quality_checks": "checks",
    "gate": "gate",
    "build_report": "report",
}
_FEED_TASK = "ingest_feed"
BAR_WIDTH = 16
#: Airflow's structured log line: "<time>Z [<level>] <message>   [<logger>] key=value…".
LOG_LINE = re.compile(r"^\S+Z \[(?P<level>\w+)\s*\] (?P<message>.*?)\s+\[(?P<logger>[\w.]+)\]")
_TASK_EVENT = re.compile(r"\[DAG TEST\] (?P<event>starting|end task) task_id=(?P<task>\S+) "
                         r"map_index=(?P<index>-?\d+)")
#: dbt's own line as a node starts ("  12 of 230 START sql table model marts.x ..... [RUN]"):
#: the one dbt task builds every model, so this is how far the dbt stage has got.
_DBT_NODE = re.compile(r"\s(?P<n>\d+) of (?P<total>\d+) START (?P<what>.*?)[ .]*\[RUN\]")
#: Longest error message quoted in the summary; the log holds all of it.
MAX_ERROR_CHARS = 400


def stage_of(task_id: str) -> str | None:
    """The stage a task belongs to, or None for one that does not move the run on."""
    return _TASK_STAGES.get(task_id)


@dataclass
class RunDisplay:
    """Reads a run's output lines and keeps one status display up to date on `stream`."""

    log_path: Path
    total_feeds: int | None = None
    stream: TextIO = field(default_factory=lambda: sys.stdout)
    clock: Callable[[], float] = time.monotonic
    interactive: bool | None = None  # None: redraw in place when `stream` is a terminal

    def __post_init__(self) -> None:
        if self.interactive is None:
            self.interactive = bool(getattr(self.stream, "isatty", lambda: False)())
        self.started = self.clock()
        self.stage: str | None = None
        self.task: str | None = None
        self.dbt_node: str | None = None  # "12/230 marts.fct_cases" while dbt builds
        self.feeds_done: set[int] = set()
        self.failed_task: str | None = None
        self.failed_stage: str | None = None
        # Each error: its log message, then the lines that followed it (a traceback).
        self.errors: list[list[str]] = []
        self._printed_quarter = 0
        self._in_error = False
        self._say(f"nhật ký đầy đủ / full log: {self.log_path}")

    # -- input -------------------------------------------------------------------------

    def feed(self, line: str) -> None:
        """One line of the run's output (already written to the log file by the caller)."""
        match = LOG_LINE.match(line)
        if match is None and (node := _DBT_NODE.search(line)) is not None:
            self.dbt_node = f"{node['n']}/{node['total']} {node['what'].split()[-1]}"
            self._show(force=False)
        if match is None:
            if self._in_error and line.strip():
                self.errors[-1].append(line.rstrip())
            return
        self._in_error = match["level"] in ("error", "critical")
        if self._in_error:
            self.errors.append([match["message"]])
            if self.failed_task is None:
                self.failed_task, self.failed_stage = self.task, self.stage
        event = _TASK_EVENT.search(match["message"])
        if event is not None:
            self._on_task(event["task"], int(event["index"]), event["event"] == "starting")

    def _on_task(self, task: str, map_index: int, started: bool) -> None:
        if started:
            self.task, self.dbt_node = task, None
            stage = stage_of(task)
            if stage and stage != self.stage:
                self.stage = stage
                self._show(force=True)
            else:
                self._show(force=False)
        elif task == _FEED_TASK:
            self.feeds_done.add(map_index)
            self._show(force=self._passed_a_quarter())

    def _passed_a_quarter(self) -> bool:
        if not self.total_feeds:
            return False
        quarter = 4 * len(self.feeds_done) // self.total_feeds
        if quarter > self._printed_quarter:
            self._printed_quarter = quarter
            return True
        return False

    # -- output ------------------------------------------------------------------------

    def elapsed(self) -> str:
        seconds = int(self.clock() - self.started)
        return f"{seconds // 60:02d}:{seconds % 60:02d}"

    def status_line(self) -> str:
        """`[cchc] 01:42 ▸ 2/6 feeds — nạp dữ liệu các đơn vị  [####----] 12/24`."""
        if self.stage is None:
            return f"[cchc] {self.elapsed()} ▸ khởi động Airflow / starting Airflow"
        number = list(STAGES).index(self.stage) + 1
        text = f"[cchc] {self.elapsed()} ▸ {number}/{len(STAGES)} {self.stage} — {STAGES[self.stage]}"
        if self.total_feeds:
            done = len(self.feeds_done)
            filled = BAR_WIDTH * done // self.total_feeds
            text += f"  [{'#' * filled}{'-' * (BAR_WIDTH - filled)}] {done}/{self.total_feeds}"
        return text

    def _show(self, force: bool) -> None:
        if self.interactive:
            # What the run is waiting for right now: the task, and in dbt's, the node.
            task = f" · {self.task}" if self.task else ""
            task += f" {self.dbt_node}" if self.dbt_node else ""
            # A line longer than the terminal would wrap, and "\r" only clears the last part.
            width = shutil.get_terminal_size().columns - 1
            self.stream.write("\r\033[K" + (self.status_line() + task)[:width])
            self.stream.flush()
        elif force:
            self._say(self.status_line().removeprefix("[cchc] "))

    def _say(self, text: str) -> None:
        if self.interactive:
            self.stream.write("\r\033[K")
        self.stream.write(f"[cchc] {text}\n")
        self.stream.flush()

    def finish(self, returncode: int, reason: str | None = None) -> None:
        """The run's last lines: done, or what failed, how to resume and where to look (both
        languages). `reason` names why the runner stopped the run, when it did."""
        if self.interactive:
            self.stream.write("\r\033[K")
        if returncode == 0:
            self._say(f"{self.elapsed()} xong / done — nhật ký / log: {self.log_path}")
            return
        stage = self.failed_stage or self.stage or "airflow"
        task = self.failed_task or self.task or "—"
        self._say(f"{self.elapsed()} THẤT BẠI ở giai đoạn {stage}, tác vụ {task} / "
                  f"FAILED at stage {stage}, task {task} (exit {returncode})")
        reason = reason or (_reason(self.errors[0]) if self.errors else None)
        if reason:
            self._say(f"lỗi / error: {reason[:MAX_ERROR_CHARS]}")
        self._say(RESUME_HINT)
        self._say(f"xem nhật ký / see the log: {self.log_path}")


def _reason(error: list[str]) -> str:
    """The exception's own text when a traceback followed the message, else the message."""
    # The exception starts at the first unindented line after the last frame; its message
    # may go on over lines of its own, indented or not.
    frames = [i for i, line in enumerate(error) if line.startswith('  File "')]
    after = frames[-1] + 1 if frames else len(error)
    start = next((i for i in range(after, len(error)) if not error[i].startswith(" ")), None)
    raised = error[start:] if start is not None else []
    return " ".join(line.strip() for line in raised[:3]) or error[0]

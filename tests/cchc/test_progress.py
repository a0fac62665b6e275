"""The progress display of `cchc run`, fed the line formats `airflow dags test` prints.

The lines below are in Airflow 3's structured format ("<time>Z [<level>] <message>
[<logger>] key=value") as the pipeline's run log holds them; dbt's own lines and
Airflow's internals are interleaved with them and must not reach the terminal.
"""
from __future__ import annotations

import io
from pathlib import Path

from cchc_app.progress import RESUME_HINT, RunDisplay, stage_of

LOG = Path("/srv/cchc/.local/airflow/runs/cchc__annual_pipeline-20260101T000000.log")


def _airflow(message: str, level: str = "info", logger: str = "airflow.sdk") -> str:
    return f"2026-01-01T00:00:00.000000Z [{level:<9}] {message} [{logger}] loc=dag.py:1\n"


def _task(task_id: str, map_index: int = -1) -> list[str]:
    return [
        _airflow(f"[DAG TEST] starting task_id={task_id} map_index={map_index}"),
        _airflow("Task instance is in running state", logger="task.stdout"),
        _airflow(f"[DAG TEST] end task task_id={task_id} map_index={map_index}"),
    ]


def _pipeline(feeds: int) -> list[str]:
    lines = [_airflow("Filling up the DagBag from /dags", logger="airflow.models.dagbag")]
    lines += _task("load_reference") + _task("list_feeds")
    for index in range(feeds):
        lines += _task("ingest_feed", index)
        lines.append(_airflow(f"Unit U{index}: 3 deliveries processed", logger="cchc.progress"))
    lines += _task("report_year")
    dbt_task = _task("dbt_build")
    lines += dbt_task[:2]  # dbt's own lines come between the task's start and end
    for n, model in enumerate(("staging.stg_raw__cases", "marts.fct_cases", "marts.mart_on_time"), 1):
        lines.append(f"\x1b[0m00:00:01  {n} of 3 START sql table model {model} ........ [RUN]\n")
    lines += dbt_task[2:]
    lines += _task("run_quality_checks") + _task("gate") + _task("build_report")
    return lines


class Clock:
    """Ten seconds pass per reading: the display's elapsed time is predictable."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        self.now += 10
        return self.now


def _display(feeds: int | None, interactive: bool) -> tuple[RunDisplay, io.StringIO]:
    out = io.StringIO()
    return RunDisplay(LOG, feeds, stream=out, clock=Clock(), interactive=interactive), out


def test_tasks_map_to_the_six_stages():
    assert [stage_of(t) for t in ("load_reference", "ingest_feed", "dbt_build",
                                  "run_quality_checks", "gate", "build_report", "report_year")] == [
        "reference", "feeds", "dbt", "checks", "gate", "report", None]


def test_a_run_off_a_terminal_prints_stages_and_feed_quarters_only():
    display, out = _display(feeds=8, interactive=False)
    for line in _pipeline(feeds=8):
        display.feed(line)
    display.finish(0)
    lines = out.getvalue().splitlines()
    # log path, 6 stages, feeds at 2/8, 4/8, 6/8, 8/8 (the stage line shows 0/8), done
    assert len(lines) == 1 + 6 + 4 + 1
    assert lines[0] == f"[cchc] nhật ký đầy đủ / full log: {LOG}"
    assert [line.split(" ▸ ")[1].split(" —")[0] for line in lines[1:-1]] == [
        "1/6 reference", "2/6 feeds", "2/6 feeds", "2/6 feeds", "2/6 feeds", "2/6 feeds",
        "3/6 dbt", "4/6 checks", "5/6 gate", "6/6 report"]
    assert lines[2].endswith("[----------------] 0/8")
    assert lines[3].endswith("[####------------] 2/8")
    assert lines[6].endswith("[################] 8/8")
    assert "2/6 feeds — nạp dữ liệu các đơn vị" in lines[2]
    assert lines[-1].startswith("[cchc] ") and "xong / done" in lines[-1] and str(LOG) in lines[-1]
    # nothing of Airflow's, dbt's or the tasks' own lines reaches the terminal
    assert "DagBag" not in out.getvalue() and "START sql" not in out.getvalue()


def test_elapsed_time_is_minutes_and_seconds():
    display, _ = _display(feeds=None, interactive=False)  # started at 10 s
    for _ in range(7):  # 7 readings later: 80 s
        display.clock()
    assert display.elapsed() == "01:20"


def test_a_terminal_gets_one_line_redrawn_in_place(monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")  # the terminal's width; longer lines are cut
    display, out = _display(feeds=4, interactive=True)
    for line in _pipeline(feeds=4):
        display.feed(line)
    display.finish(0)
    text = out.getvalue()
    assert text.count("\n") == 2  # the log path, and the final line
    assert text.count("\r\x1b[K") > 10
    assert "[########--------] 2/4 · ingest_feed" in text
    assert "3/6 dbt — dựng kho dữ liệu (dbt)  [################] 4/4 · dbt_build 2/3 marts.fct_cases" in text


def test_a_failure_ends_with_a_bilingual_summary_naming_stage_task_error_and_log():
    display, out = _display(feeds=2, interactive=False)
    lines = _pipeline(feeds=2)
    gate_start = next(i for i, line in enumerate(lines) if "task_id=gate" in line)
    lines[gate_start + 1 : gate_start + 2] = [
        _airflow("Task failed with exception", level="error", logger="task"),
        "Traceback (most recent call last):\n",
        '  File "/srv/cchc/dags/_common/tasks.py", line 199, in gate\n',
        "    raise AirflowFailException(\n",
        ("airflow.sdk.exceptions.AirflowFailException: Quality gate closed for 2025; the "
         "report is not published.\n"),
        "Lần kiểm tra thiếu dữ liệu tháng 7 của H99.D02\n",
        _airflow("Task failed; ti=<TaskInstance: gate>", level="error", logger="airflow.sdk"),
    ]
    for line in lines[: gate_start + 8]:
        display.feed(line)
    display.finish(1)
    summary = out.getvalue().splitlines()[-4:]
    assert summary[0].endswith(
        "THẤT BẠI ở giai đoạn gate, tác vụ gate / FAILED at stage gate, task gate (exit 1)")
    assert summary[1] == (
        "[cchc] lỗi / error: airflow.sdk.exceptions.AirflowFailException: Quality gate closed "
        "for 2025; the report is not published. Lần kiểm tra thiếu dữ liệu tháng 7 của H99.D02")
    assert summary[2] == f"[cchc] {RESUME_HINT}"
    assert summary[3] == f"[cchc] xem nhật ký / see the log: {LOG}"


def test_a_run_the_runner_stopped_names_its_reason():
    display, out = _display(feeds=None, interactive=False)
    display.finish(1, reason="tác vụ hang không ghi gì trong 15 giây")
    assert "[cchc] lỗi / error: tác vụ hang không ghi gì trong 15 giây" in out.getvalue().splitlines()


def test_the_status_line_is_cut_to_the_terminal_width(monkeypatch):
    monkeypatch.setenv("COLUMNS", "40")
    display, out = _display(feeds=4, interactive=True)
    display.feed(_task("load_reference")[0])
    redrawn = out.getvalue().split("\r\x1b[K")[-1]
    assert len(redrawn) == 39 and redrawn.startswith("[cchc] 00:10 ▸ 1/6 reference — nạp")


def test_an_exception_message_indented_over_several_lines_is_the_error_shown():
    # As Airflow 3 logs AirflowFailException("…:\n  delivery x.csv: rejected — …") raised by
    # an ingest task: the message's own lines are indented like traceback frames.
    display, out = _display(feeds=None, interactive=False)
    for line in [
        _airflow("Task failed with exception", level="error", logger="task"),
        "Traceback (most recent call last):\n",
        '  File "/srv/cchc/dags/_common/tasks.py", line 146, in ingest_interval\n',
        "    raise AirflowFailException(\n",
        "airflow.sdk.exceptions.AirflowFailException: Unit H99.S03: deliveries rejected:\n",
        "  delivery hoso_20240104.csv: rejected — required column 'Mã TTHC' is missing\n",
    ]:
        display.feed(line)
    display.finish(1)
    assert ("[cchc] lỗi / error: airflow.sdk.exceptions.AirflowFailException: Unit H99.S03: "
            "deliveries rejected: delivery hoso_20240104.csv: rejected — required column "
            "'Mã TTHC' is missing") in out.getvalue().splitlines()

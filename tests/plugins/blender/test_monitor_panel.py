"""The Blender job monitor (accsyn_blender/monitor.py) with bpy on the stand-in farm: registered with the add-on,
its timer's refresh picking up each look from a worker thread (every tick returns at once), pause, resume, abort
and requeue through its operators, a failed task's log in a Text datablock, the end of a followed job reported,
and accsyn going away said, retried with back-off and reconnected."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any, Callable, Iterator, List, Optional

import pytest

REPO = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(REPO / "tests" / "ui"))
from monitor_farm import Farm, release, start_farm  # noqa: E402

from accsyn_dcc.standin import StandinServer  # noqa: E402

pytestmark = pytest.mark.blender
PLUGIN = REPO / "plugins" / "blender"


@pytest.fixture
def blender(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    monkeypatch.syspath_prepend(str(PLUGIN))
    import accsyn_blender
    import bpy
    from accsyn_blender import monitor

    accsyn_blender.register()
    monitor.state = monitor.MonitorState()
    bpy.context.window_manager.accsyn_job_status = "ALL"
    try:
        yield monitor
    finally:
        accsyn_blender.unregister()
        monitor.state = monitor.MonitorState()
        assert not bpy.app.timers.is_registered(monitor.tick)


@pytest.fixture
def farm(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Farm]:
    yield from start_farm(tmp_path, monkeypatch)


def pump(monitor: Any, condition: Callable[[], bool], seconds: float = 60, ticks: Optional[List[float]] = None) -> None:
    """Run the timer's function as Blender would, until ``condition``; each tick's duration goes to ``ticks``."""
    ticks = [] if ticks is None else ticks
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        started = time.perf_counter()
        monitor.tick()
        ticks.append(time.perf_counter() - started)
        time.sleep(0.01)


def job_status(monitor: Any, job_id: str) -> str:
    job = monitor.state.poll.job(job_id) if monitor.state.poll else None
    return job.status if job else ""


def test_the_panel_follows_a_job_and_its_operators_steer_it(blender: Any, farm: Farm, monkeypatch) -> None:
    import bpy

    monitor = blender
    monkeypatch.setattr(monitor, "INTERVAL", 0.1)
    reported: List[str] = []
    monkeypatch.setattr(
        monitor, "notify", lambda text, level="INFO": (reported.append(text), monitor.state.notices.append(text))
    )
    out = farm.output("blend", hold=True)
    (out / "fail-2").touch()
    job = farm.submit("blend", "1-3")
    assert "monitor" in dir(bpy.ops.accsyn) and hasattr(bpy.types, "ACCSYN_PT_jobs")
    assert bpy.context.window_manager.accsyn_job_status == "ALL"
    monitor.start(farm.connect, [job])  # what the submit operator does after a submit
    assert bpy.app.timers.is_registered(monitor.tick) and monitor.state.selected == job
    ticks: List[float] = []
    pump(monitor, lambda: job_status(monitor, job) == "running", ticks=ticks)

    assert bpy.ops.accsyn.job_action(action="pause", job_id=job) == {"FINISHED"}
    pump(monitor, lambda: job_status(monitor, job) == "paused", ticks=ticks)
    assert monitor.state.message == f"Job {job} is paused."
    assert bpy.ops.accsyn.job_action(action="resume") == {"FINISHED"}  # the selected job
    pump(monitor, lambda: job_status(monitor, job) in ("waiting", "running"), ticks=ticks)
    release(out)
    pump(
        monitor,
        lambda: job_status(monitor, job) == "failed" and any(t.status == "failed" for t in monitor.state.poll.tasks),
        ticks=ticks,
    )
    assert reported == ["accsyn: job blend failed."]
    [failed] = [task for task in monitor.state.poll.tasks if task.status == "failed"]
    assert failed.item == "2" and "frame 2 cannot be written" in failed.reason
    assert bpy.ops.accsyn.task_log(task_id=failed.id, item=failed.item) == {"FINISHED"}
    pump(monitor, lambda: "accsyn log 2" in bpy.data.texts, ticks=ticks)
    assert "RuntimeError: frame 2 cannot be written" in bpy.data.texts["accsyn log 2"].as_string()

    (out / "fail-2").unlink()
    assert bpy.ops.accsyn.job_action(action="requeue", job_id=job) == {"FINISHED"}
    pump(monitor, lambda: job_status(monitor, job) == "done", ticks=ticks)
    pump(monitor, lambda: reported[-1:] == ["accsyn: job blend is done."], ticks=ticks)
    job_row = monitor.state.poll.job(job)
    assert job_row.progress is not None and (job_row.progress.done, job_row.progress.total) == (3, 3)
    assert "3/3 done of 3" in monitor.job_line(job_row)
    pump(monitor, lambda: monitor.state.poll.last_frame is not None, ticks=ticks)
    assert Path(monitor.state.poll.last_frame).parent == out

    second = farm.submit("blend", "4-5", status="paused")
    assert bpy.ops.accsyn.job_select(job_id=second) == {"FINISHED"}
    pump(monitor, lambda: monitor.state.poll.job_id == second and len(monitor.state.poll.tasks) == 2, ticks=ticks)
    assert bpy.ops.accsyn.job_action(action="abort") == {"FINISHED"}
    pump(monitor, lambda: job_status(monitor, second) == "aborted", ticks=ticks)
    bpy.context.window_manager.accsyn_job_status = "done"
    pump(monitor, lambda: [row.id for row in monitor.state.poll.jobs] == [job], ticks=ticks)
    assert max(ticks) < 0.05  # the timer never waits for accsyn


def test_the_end_is_reported_through_the_notify_operator(blender: Any) -> None:
    import bpy

    blender.notify("accsyn: job x is done.")
    assert blender.state.notices == ["accsyn: job x is done."]
    assert bpy.ops.accsyn.notify(message="accsyn: job y failed.", level="WARNING") == {"FINISHED"}


def test_accsyn_going_away_is_said_retried_and_reconnected(blender: Any, tmp_path: Path, monkeypatch) -> None:
    import bpy

    monitor = blender
    monkeypatch.setattr(monitor, "INTERVAL", 0.1)
    monkeypatch.setenv("ACCSYN_DCC_DEADLINE", "2")
    servers: List[StandinServer] = []
    data = str(tmp_path / "data")
    with StandinServer(data) as server:
        servers.append(server)
        job = Farm(server, tmp_path).submit("away", "1", status="paused")
        monitor.start(lambda: Farm(servers[-1], tmp_path).client)
        pump(monitor, lambda: job_status(monitor, job) == "paused")
    pump(monitor, lambda: monitor.state.failures >= 2)
    assert (
        monitor.state.error.startswith("accsyn is not answering: ") and "Trying again in 0.4 s" in monitor.state.error
    )
    assert job_status(monitor, job) == "paused"  # what was shown stays
    with StandinServer(data) as server:
        servers.append(server)
        assert bpy.ops.accsyn.monitor_reconnect() == {"FINISHED"}
        pump(monitor, lambda: monitor.state.failures == 0 and not monitor.state.error)
        assert job_status(monitor, job) == "paused"

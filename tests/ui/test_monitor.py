"""The job monitor (ui/monitor.py) driven offscreen through a job's whole life on the stand-in with its farm:
waiting behind another job, running, a failed task with its error line and log, requeue, done with the last frame
as a thumbnail and the end announced; pause, resume and abort from its buttons; accsyn going away and back."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any, Iterator, List

import pytest
from monitor_farm import Farm, release, start_farm

from accsyn_dcc.standin import StandinServer
from accsyn_dcc.ui import job_watch
from accsyn_dcc.ui import monitor as monitor_module
from accsyn_dcc.ui.job_watch import JobWatcher, latest_image
from accsyn_dcc.ui.monitor import JobMonitor

WAIT_MS = 60000


@pytest.fixture
def farm(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Farm]:
    yield from start_farm(tmp_path, monkeypatch)


@pytest.fixture
def notices() -> Iterator[List[str]]:
    said: List[str] = []
    monitor_module.set_notifier(said.append)
    yield said
    monitor_module.set_notifier(None)


def make_monitor(qtbot: Any, connect: Any) -> JobMonitor:
    monitor = JobMonitor(JobWatcher(connect), interval_ms=150)
    qtbot.addWidget(monitor)
    monitor.show()
    return monitor


def row_of(monitor: JobMonitor, job_id: str) -> Any:
    return next((job for job in monitor.jobs_model.rows if job.id == job_id), None)


def status_of(monitor: JobMonitor, job_id: str) -> str:
    job = row_of(monitor, job_id)
    return job.status if job else ""


def task_statuses(monitor: JobMonitor) -> List[str]:
    return [task.status for task in monitor.tasks_model.rows]


def test_the_monitor_follows_a_job_from_waiting_to_a_failed_task_requeued_and_done(
    farm: Farm, qtbot: Any, notices: List[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker_out = farm.output("blocker", hold=True)
    shot_out = farm.output("shot", hold=True)
    (shot_out / "fail-3").touch()
    blocker = farm.submit("blocker", "1-2")
    monitor = make_monitor(qtbot, lambda: farm.connect())
    qtbot.waitUntil(lambda: status_of(monitor, blocker) == "running", timeout=WAIT_MS)
    shot = farm.submit("shot", "1-4")
    monitor.follow([shot])  # as the submit dialog does after a submit

    # waiting: both of the farm's workers render the other job
    qtbot.waitUntil(
        lambda: status_of(monitor, shot) == "waiting" and len(monitor.tasks_model.rows) == 4, timeout=WAIT_MS
    )
    assert [job.id for job in monitor.jobs_model.rows] == [shot, blocker]  # newest first
    assert set(task_statuses(monitor)) == {"queued"}
    assert "waiting" in monitor.summary_label.text()

    # running: the job's frames start on the farm's nodes
    release(blocker_out)
    qtbot.waitUntil(lambda: "executing" in task_statuses(monitor), timeout=WAIT_MS)
    assert status_of(monitor, shot) == "running"
    executing = [task for task in monitor.tasks_model.rows if task.status == "executing"]
    assert executing[0].node and executing[0].started
    release(shot_out)

    # failed: item 3's task failed; its last error line, then its whole log
    qtbot.waitUntil(
        lambda: status_of(monitor, shot) == "failed" and "failed" in task_statuses(monitor), timeout=WAIT_MS
    )
    qtbot.waitUntil(lambda: "frame 3 cannot be written" in monitor.error_label.text(), timeout=WAIT_MS)
    assert monitor.error_label.text().startswith("Item 3 failed: ")
    job = row_of(monitor, shot)
    assert job.progress is not None and job.progress.total == 4 and job.progress.failed >= 1
    done_task = next(task for task in monitor.tasks_model.rows if task.status == "done")
    assert done_task.node and done_task.started and done_task.finished and done_task.duration is not None
    qtbot.waitUntil(lambda: notices == ["accsyn: job shot failed."], timeout=WAIT_MS)
    assert monitor.notice_label.isVisible() and f'href="{shot}"' in monitor.notice_label.text()
    assert monitor.jobs_model.highlight[shot] == monitor_module.ENDED_COLOURS["failed"]
    monitor.select_task("3")
    monitor.buttons["log"].click()
    qtbot.waitUntil(
        lambda: "RuntimeError: frame 3 cannot be written" in monitor.log_view.toPlainText(), timeout=WAIT_MS
    )
    assert "frame 1 " not in monitor.log_view.toPlainText()
    assert monitor.buttons["requeue"].isEnabled() and not monitor.buttons["pause"].isEnabled()

    # requeue the failed tasks: the job renders them and is done, announced once more
    (shot_out / "fail-3").unlink()
    monitor.buttons["requeue"].click()
    qtbot.waitUntil(
        lambda: status_of(monitor, shot) == "done" and set(task_statuses(monitor)) == {"done"}, timeout=WAIT_MS
    )
    qtbot.waitUntil(lambda: notices[-1:] == ["accsyn: job shot is done."], timeout=WAIT_MS)
    assert len(notices) == 2
    assert sorted(path.name for path in shot_out.glob("frame-0*")) == [f"frame-{n:04d}.png" for n in range(1, 5)]
    job = row_of(monitor, shot)
    assert job.progress is not None and (job.progress.done, job.progress.failed) == (4, 0)
    assert "4/4 done" in monitor.summary_label.text()

    # the last frame as a thumbnail, and the output folder opened through the desktop
    qtbot.waitUntil(
        lambda: monitor.thumbnail.pixmap() is not None and not monitor.thumbnail.pixmap().isNull(), timeout=WAIT_MS
    )
    opened: List[str] = []
    monkeypatch.setattr(monitor_module, "open_folder", opened.append)
    monitor.buttons["folder"].click()
    assert opened == [str(shot_out)]

    # the notice selects its job when clicked; a status filter lists only that status
    monitor.select_job(blocker)
    monitor.notice_label.linkActivated.emit(shot)
    qtbot.waitUntil(lambda: monitor.last_poll is not None and monitor.last_poll.job_id == shot, timeout=WAIT_MS)
    monitor.status_filter.setCurrentIndex(monitor.status_filter.findData("done"))
    qtbot.waitUntil(lambda: len(monitor.jobs_model.rows) == 2, timeout=WAIT_MS)
    assert {job.status for job in monitor.jobs_model.rows} == {"done"}


def test_pause_resume_and_abort_from_the_monitors_buttons(farm: Farm, qtbot: Any) -> None:
    out = farm.output("steer", hold=True)
    job = farm.submit("steer", "1-6")
    monitor = make_monitor(qtbot, farm.connect)
    monitor.follow([job])
    qtbot.waitUntil(
        lambda: status_of(monitor, job) == "running" and monitor.buttons["pause"].isEnabled(), timeout=WAIT_MS
    )
    monitor.buttons["pause"].click()
    qtbot.waitUntil(
        lambda: status_of(monitor, job) == "paused" and monitor.buttons["resume"].isEnabled(), timeout=WAIT_MS
    )
    monitor.buttons["resume"].click()
    qtbot.waitUntil(lambda: status_of(monitor, job) in ("waiting", "running"), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: monitor.buttons["abort"].isEnabled(), timeout=WAIT_MS)
    monitor.buttons["abort"].click()
    qtbot.waitUntil(lambda: status_of(monitor, job) == "aborted", timeout=WAIT_MS)
    release(out)
    assert farm.client.find_job(job)["status"] == "aborted"


def test_accsyn_going_away_is_said_retried_with_backoff_and_reconnect_works(
    tmp_path: Path, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ACCSYN_DCC_DEADLINE", "2")
    data = str(tmp_path / "data")
    servers: List[StandinServer] = []

    def connect() -> Any:
        return Farm(servers[-1], tmp_path).client

    with StandinServer(data) as server:
        servers.append(server)
        job = Farm(server, tmp_path).submit("gone", "1-2", status="paused")
        monitor = make_monitor(qtbot, connect)
        qtbot.waitUntil(lambda: status_of(monitor, job) == "paused", timeout=WAIT_MS)
    # the server is gone
    qtbot.waitUntil(lambda: monitor.failures >= 2, timeout=WAIT_MS)
    text = monitor.status_label.text()
    assert text.startswith("accsyn is not answering: ") and "Trying again in" in text and "Traceback" not in text
    assert monitor.reconnect_button.isVisible()
    assert row_of(monitor, job) is not None  # what was shown stays
    with StandinServer(data) as server:  # back, on another port: Reconnect connects there
        servers.append(server)
        monitor.reconnect_button.click()
        qtbot.waitUntil(lambda: monitor.failures == 0 and not monitor.reconnect_button.isVisible(), timeout=WAIT_MS)
        assert monitor.status_label.text().startswith("1 jobs; updated ")


def test_latest_image_finds_the_frame_of_the_last_item_or_the_newest_image(tmp_path: Path) -> None:
    for name in ("a.0001.png", "a.0002.png", "notes.txt"):
        (tmp_path / name).write_bytes(b"x")
    time.sleep(0.01)
    (tmp_path / "b.0001.jpg").write_bytes(b"x")
    assert latest_image(str(tmp_path / "a.%04d.png"), "1") == str(tmp_path / "a.0001.png")
    assert latest_image(str(tmp_path / "a.####.png"), "2") == str(tmp_path / "a.0002.png")
    assert latest_image(str(tmp_path / "a.####.png"), "9") in (
        str(tmp_path / "a.0001.png"),
        str(tmp_path / "a.0002.png"),
    )
    assert latest_image(str(tmp_path), None) == str(tmp_path / "b.0001.jpg")
    assert latest_image(str(tmp_path / "missing" / "x.%04d.png"), "1") is None


def test_an_image_qt_cannot_read_says_no_preview(tmp_path: Path, qtbot: Any) -> None:
    broken = tmp_path / "frame.0001.exr"
    broken.write_bytes(b"not an image")
    said = monitor_module.load_thumbnail(str(broken))
    assert isinstance(said, str) and said.startswith("no preview (frame.0001.exr")


def test_after_a_submit_the_dialog_opens_the_monitor_on_the_job_it_created(farm: Farm, qtbot: Any) -> None:
    from test_dialog_mechanics import ScriptedHost, make_dialog

    job_watch._submitted.clear()  # submits of other tests in this process
    farm.output("submitted", hold=True)
    job = farm.submit("submitted", "1-2")
    dialog = make_dialog(qtbot, ScriptedHost(), farm.connect)
    assert dialog.monitor_button.isHidden()
    job_watch.remember_submitted([job])  # as the session's create does
    dialog._submitted([{"id": job}])  # what the background submit hands back
    assert not dialog.monitor_button.isHidden() and dialog.monitor_button.text() == "Monitor job..."
    monitor = dialog.open_monitor()
    qtbot.addWidget(monitor)
    try:
        assert monitor.watcher.followed() == {job}
        qtbot.waitUntil(lambda: monitor.last_poll is not None and monitor.last_poll.job_id == job, timeout=WAIT_MS)
        assert len(monitor.tasks_model.rows) == 2
        assert monitor_module.open_monitor() is monitor  # one monitor per session of the host
        assert job in job_watch.submitted_in_session()
        fresh = JobWatcher(farm.connect)  # a monitor opened later from the host's menu follows it too
        fresh.poll()
        assert job in fresh.followed()
    finally:
        monitor_module._monitor.clear()
        job_watch._submitted.clear()


@pytest.fixture
def idle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Farm]:
    """The stand-in without its farm: jobs stay as they are set."""
    yield from start_farm(tmp_path, monkeypatch, run_jobs=False)


def test_closed_while_a_followed_job_runs_the_monitor_hides_and_still_announces_its_end(
    idle: Farm, qtbot: Any, notices: List[str]
) -> None:
    job = idle.submit("hidden", "1-2")
    monitor = make_monitor(qtbot, idle.connect)
    monitor.follow([job])
    qtbot.waitUntil(lambda: status_of(monitor, job) == "waiting", timeout=WAIT_MS)
    monitor.close()
    assert not monitor.isVisible()
    idle.client.abort_job(job)
    qtbot.waitUntil(lambda: notices == ["accsyn: job hidden was aborted."], timeout=WAIT_MS)
    monitor.close()  # nothing followed is unfinished: closed for good, no more looks
    assert not monitor._timer.isActive()


def test_the_benchmark_measures_a_small_workspace(monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    import monitor_bench

    monkeypatch.setattr(
        sys, "argv", ["monitor_bench", "--jobs", "3", "--tasks", "20", "--refreshes", "2", "--no-delay"]
    )
    assert monitor_bench.main() == 0
    out = capsys.readouterr().out
    assert "workspace: 3 jobs x 20 tasks" in out
    # the job list, the metrics of the two unfinished jobs (the aborted one was measured once), the selected job's tasks
    assert "requests per refresh: first 4, then median 4, max 4" in out

"""The local farm keeps one Blender per worker across tasks (bpy, Cycles CPU): started once, the same pixels,
frames reported as they finish, and a worker Blender that dies mid-task fails only that task."""

import json
import os
import signal
import sys
import time
from pathlib import Path

import bpy
import pytest
from session_helpers import scene_payload

from accsyn_dcc.config import Settings
from accsyn_dcc.demo import build_demo_project
from accsyn_dcc.farm import LocalFarm, run_local
from accsyn_dcc.paths import current_os

pytestmark = pytest.mark.blender


@pytest.fixture
def launches(tmp_path, monkeypatch):
    """Blender is a Python with ``bpy`` behind a wrapper that counts its launches (the scene is built first)."""
    build_demo_project(str(tmp_path / "p"))
    count = tmp_path / "launches"
    wrapper = tmp_path / "bin" / "bpy-python"
    wrapper.parent.mkdir()
    wrapper.write_text(f'#!/bin/sh\necho "$$" >> "{count}"\nexec "{sys.executable}" "$@"\n')
    wrapper.chmod(0o755)
    monkeypatch.setenv("BLENDER_EXECUTABLE", str(wrapper))
    return lambda: len(count.read_text().split()) if count.exists() else 0


def job(tmp_path, range_text, bucket, output="out"):
    root = tmp_path / "p"
    scene = str(root / "shots" / "demo.blend")
    settings = Settings({"workspace": {"volumes": [{"code": "projects", "paths": {current_os(): str(root)}}]}})
    with pytest.MonkeyPatch.context() as patch:  # the scan's Blender is not counted
        patch.delenv("BLENDER_EXECUTABLE")
        payload = scene_payload(scene, settings, engine="blender", range_text=range_text, bucket_size=bucket,
                                output_folder=str(tmp_path / output))  # fmt: skip
    return payload, settings


def pixels(path):
    image = bpy.data.images.load(str(path))
    try:
        return tuple(image.size), list(image.pixels)
    finally:
        bpy.data.images.remove(image)


def ended(pid, seconds=5.0):
    """True once ``pid`` is gone or a zombie (killed, its parent not yet told), within ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z":
                return True
        except (OSError, IndexError):
            return True
        time.sleep(0.05)
    return False


def test_one_frame_tasks_start_blender_once_per_worker(tmp_path, launches):
    payload, settings = job(tmp_path, "1-6", 1)
    summary = run_local(payload, workers=2, settings=settings, work_dir=str(tmp_path / "work"), progress=False)
    assert summary.ok and summary.frames_done == [1, 2, 3, 4, 5, 6], summary
    assert launches() == 2  # six tasks, two workers: one Blender each (per-task Blender: six)
    assert len(list((tmp_path / "out").glob("beauty_*.png"))) == 6


def test_the_worker_blender_renders_the_same_pixels_as_a_blender_per_task(tmp_path, launches):
    kept, settings = job(tmp_path, "1-3", 1, "kept")
    summary = run_local(kept, workers=1, settings=settings, work_dir=str(tmp_path / "w1"), progress=False)
    assert summary.ok and launches() == 1, summary
    fresh, settings = job(tmp_path, "1-3", 1, "fresh")
    summary = run_local(fresh, workers=1, settings=settings, work_dir=str(tmp_path / "w2"), progress=False,
                        keep_workers=False)  # fmt: skip
    assert summary.ok and launches() == 4, summary  # one Blender per task
    for frame in (1, 2, 3):
        name = f"beauty_{frame:04d}.png"
        size, values = pixels(tmp_path / "kept" / name)
        assert size == (64, 48) and max(values) > 0
        assert (size, values) == pixels(tmp_path / "fresh" / name), name


def test_frames_are_reported_as_they_finish_by_the_kept_blender(tmp_path, launches):
    payload, settings = job(tmp_path, "1-8", 4)
    reported, ended = {}, {}
    summary = run_local(
        payload, workers=1, settings=settings, work_dir=str(tmp_path / "work"), progress=False,
        on_frame=lambda item: reported.setdefault(int(item), time.monotonic()),
        on_task=lambda task: ended.setdefault(task.item, time.monotonic()),
    )  # fmt: skip
    assert summary.ok and launches() == 1, summary  # the second task ran in the first task's Blender
    assert sorted(reported) == list(range(1, 9))
    second = [reported[frame] for frame in (5, 6, 7, 8)]
    assert second == sorted(second) and second[-1] <= ended["5-8"]
    assert second[-1] - second[0] > 0.1  # each as it was saved, not all at the task's end
    log = (tmp_path / "work" / "tasks" / "5-8" / "task.log").read_text()
    assert log.count("Saved: ") == 4 and "still open from this Blender's previous task" in log


def test_a_worker_blender_that_dies_mid_task_fails_only_that_task(tmp_path, launches):
    payload, settings = job(tmp_path, "1-16", 8)
    work = tmp_path / "work"
    killed = []

    def crash(item):
        states = list(work.glob("workers/*/resident.json"))
        if item == "1" and states and not killed:
            killed.append(json.loads(states[0].read_text())["pid"])
            os.kill(killed[0], signal.SIGKILL)

    summary = run_local(payload, workers=1, retries=0, settings=settings, work_dir=str(work), progress=False,
                        on_frame=crash)  # fmt: skip
    assert killed, "no worker Blender was found to crash"
    first, second = summary.tasks
    assert not first.ok and first.frames_done == [1]
    assert first.reason == f"ERROR: the worker Blender (process {killed[0]}) ended mid-task (crashed or killed)"
    assert second.ok and second.frames_done == list(range(9, 17)), summary
    assert launches() == 2  # started again for the next task
    assert sorted(path.name for path in (tmp_path / "out").glob("*.png"))[-1] == "beauty_0016.png"


def test_stopping_the_farm_ends_the_worker_blender_at_once(tmp_path, launches):
    payload, settings = job(tmp_path, "1-16", 16)
    work = tmp_path / "work"
    farm = LocalFarm(payload, volumes=settings.workspace.volumes, workers=1, retries=0, work_dir=str(work),
                     progress=False)  # fmt: skip
    pids = []

    def stop(item):
        if item == "1":
            pids.append(json.loads(next(work.glob("workers/*/resident.json")).read_text())["pid"])
            farm.stop()

    farm.on_frame = stop
    started = time.monotonic()
    summary = farm.run()
    assert not summary.ok and pids and time.monotonic() - started < 30
    assert ended(pids[0])
    assert not list(work.glob("workers/*/resident.json"))


def test_a_worker_blender_that_hangs_fails_only_that_task(tmp_path, launches, monkeypatch):
    monkeypatch.setenv("ACCSYN_BLENDER_SILENCE", "2")
    payload, settings = job(tmp_path, "1-16", 8)
    work = tmp_path / "work"
    stopped = []

    def hang(item):
        if item == "1" and not stopped:
            stopped.append(json.loads(next(work.glob("workers/*/resident.json")).read_text())["pid"])
            os.kill(stopped[0], signal.SIGSTOP)

    started = time.monotonic()
    summary = run_local(payload, workers=1, retries=0, settings=settings, work_dir=str(work), progress=False,
                        on_frame=hang)  # fmt: skip
    first, second = summary.tasks
    assert first.reason == f"ERROR: the worker Blender (process {stopped[0]}) printed nothing for 2 s (hung)"
    assert ended(stopped[0]) and second.ok and second.frames_done == list(range(9, 17)), summary
    assert launches() == 2 and time.monotonic() - started < 60

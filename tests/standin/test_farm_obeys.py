"""The stand-in's farm obeys accsyn's statuses on a real Blender job (bpy, 64x48, Cycles CPU): frames are counted
on disk before and after each pause, resume, abort and requeue."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Tuple

import pytest

from accsyn_dcc.api import AccsynClient, connect
from accsyn_dcc.credentials import Credentials
from accsyn_dcc.demo import build_demo_project
from accsyn_dcc.paths import current_os
from accsyn_dcc.standin import StandinServer, load_seed

pytestmark = pytest.mark.blender

Farm = Tuple[StandinServer, AccsynClient, Path, List[str]]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo project (a 64x48 Cycles scene), built once; each test renders into a folder of its own."""
    project = tmp_path_factory.mktemp("demo") / "projects"
    build_demo_project(str(project))
    return project


def start(tmp_path: Path, project: Path) -> Farm:
    seed = load_seed(None)
    seed["volumes"] = [{"id": "5f00000000000000000000c8", "code": "projects", "default": True,
                        "paths": {current_os(): str(project)}}]  # fmt: skip
    (tmp_path / "seed.json").write_text(json.dumps(seed))
    lines: List[str] = []
    server = StandinServer(str(tmp_path / "data"), seed_path=str(tmp_path / "seed.json"), run_jobs=True,
                           on_status=lines.append).start()  # fmt: skip
    user = seed["users"][0]
    client = connect(Credentials("demo", user["code"], user["api_key"], proxy=f"127.0.0.1:{server.port}"))
    return server, client, project, lines


@pytest.fixture
def farm(tmp_path: Path, demo: Path) -> Iterator[Farm]:
    server, client, project, lines = start(tmp_path, demo)
    try:
        yield server, client, project, lines
    finally:
        server.stop()


def submit(client: AccsynClient, renders: str, frames: str, bucket: int = 2) -> Dict[str, Any]:
    return client.create_compute_job({
        "engine": "blender", "input": "share=projects/shots/demo.blend", "output": f"share=projects/{renders}",
        "range": frames, "settings": {"task_bucketsize": str(bucket)},
    })  # fmt: skip


def frames_on_disk(folder: Path) -> int:
    return len(list(folder.glob("beauty_*.png")))


def wait_for(condition: Callable[[], bool], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def status(client: AccsynClient, job: Dict[str, Any]) -> str:
    found = client.find_job(job["id"])
    assert found is not None
    return str(found["status"])


def test_a_paused_job_starts_no_new_task_and_resumes_where_it_stopped(farm: Farm) -> None:
    server, client, project, _ = farm
    renders = project / "paused"
    job = submit(client, "paused", "1-40")
    wait_for(lambda: frames_on_disk(renders) >= 3)
    client.pause_job(job["id"])
    assert server.dispatcher is not None
    server.dispatcher.join(60)  # the buckets under way finish; no other starts
    held = frames_on_disk(renders)
    assert held < 40
    time.sleep(3)
    assert frames_on_disk(renders) == held and status(client, job) == "paused"
    client.resume_job(job["id"])
    wait_for(lambda: status(client, job) in ("done", "failed"))
    assert status(client, job) == "done" and frames_on_disk(renders) == 40
    tasks = client.find_tasks(job["id"])
    assert [task["status"] for task in tasks] == ["done"] * 40
    assert all(task["node"] and task["started"] and task["finished"] for task in tasks)


def test_an_aborted_job_stops_its_engines_at_once_and_stays_aborted(farm: Farm) -> None:
    server, client, project, lines = farm
    renders = project / "aborted"
    job = submit(client, "aborted", "1-40", bucket=10)
    wait_for(lambda: frames_on_disk(renders) >= 2)
    asked = time.monotonic()
    client.abort_job(job["id"])
    assert server.dispatcher is not None
    server.dispatcher.join(10)
    assert time.monotonic() - asked < 5  # the engines were killed, not waited for (a bucket is 10 frames)
    stopped = frames_on_disk(renders)
    time.sleep(3)
    assert frames_on_disk(renders) == stopped < 40
    assert status(client, job) == "aborted"
    statuses = [task["status"] for task in client.find_tasks(job["id"])]
    assert "executing" not in statuses and statuses.count("done") == stopped
    assert lines[-1].endswith(": aborted")


def test_a_requeued_task_renders_again_and_a_failed_task_has_its_own_reason(farm: Farm) -> None:
    _, client, project, _ = farm
    renders = project / "requeued"
    renders.mkdir()
    (renders / "beauty_0003.png").mkdir()  # frame 3 cannot be written
    job = submit(client, "requeued", "1-6", bucket=3)
    wait_for(lambda: status(client, job) in ("done", "failed"))
    assert status(client, job) == "failed"
    tasks = {task["uri"]: task for task in client.find_tasks(job["id"])}
    assert [tasks[item]["status"] for item in "123456"] == ["done", "done", "failed", "done", "done", "done"]
    assert "beauty_0003.png" in tasks["3"]["metadata"]["reason"]
    (renders / "beauty_0003.png").rmdir()
    (renders / "beauty_0001.png").unlink()  # only the failed task is requeued: frame 1 stays missing
    client.update_tasks(job["id"], [{"id": tasks["3"]["id"], "status": "queued"}])
    wait_for(lambda: status(client, job) in ("done", "failed"))
    assert status(client, job) == "done"
    assert sorted(path.name for path in renders.glob("*.png")) == [f"beauty_000{n}.png" for n in (2, 3, 4, 5, 6)]


def test_a_restarted_server_resumes_the_job_it_was_running(tmp_path: Path, demo: Path) -> None:
    server, client, project, lines = start(tmp_path, demo)
    renders = project / "restarted"
    try:
        job = submit(client, "restarted", "1-12")
        wait_for(lambda: frames_on_disk(renders) >= 2)
    finally:
        server.stop()
    assert status_in_store(tmp_path, job["id"]) == "running"
    server, client, project, lines = start(tmp_path, demo)
    try:
        wait_for(lambda: status(client, job) in ("done", "failed"))
        assert status(client, job) == "done" and frames_on_disk(renders) == 12
        assert "(the stand-in restarted)" in lines[0]
    finally:
        server.stop()


def status_in_store(tmp_path: Path, job_id: str) -> str:
    from accsyn_dcc.standin.store import Store

    store = Store(str(tmp_path / "data"))
    try:
        job = store.job(job_id)
        assert job is not None
        return str(job["status"])
    finally:
        store.close()

"""Follow and steer jobs from the command line against the stand-in with its farm (a small engine of frames that
sleep, write a file and fail where a marker says): ``jobs``, ``job ID`` (summary, tasks, ``--watch``, ``--log``),
``pause``, ``resume``, ``abort``, ``requeue``, resubmits and a job of 100,000 frames."""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List

import pytest
from standin_env import point_environment_at

from accsyn_dcc.api import AccsynClient, connect
from accsyn_dcc.cli import jobs as jobs_cli
from accsyn_dcc.cli import main
from accsyn_dcc.credentials import Credentials
from accsyn_dcc.standin import StandinServer
from accsyn_dcc.standin.store import DATABASE_NAME

FRAME_ENGINE = textwrap.dedent(
    """\
    import os, sys
    sys.path.append(os.environ["ACCSYN_COMPUTE_COMMON_PATH"])
    from common import Common


    class Engine(Common):
        # -- ENGINE CONFIG START --
        SETTINGS = {"items": True, "default_bucketsize": 3, "max_bucketsize": 1}
        # -- ENGINE CONFIG END --

        def get_executable(self):
            return sys.executable

        def get_commandline(self, item):
            out = self.get_compute()["output"]
            code = (
                "import os, sys, time\\n"
                "open(os.path.join(%r, 'pid-%s'), 'w').write(str(os.getpid()))\\n"
                "time.sleep(float(os.environ.get('SLEEP', '0')))\\n"
                "if os.path.exists(os.path.join(%r, 'fail-%s')):\\n"
                "    print('RuntimeError: frame %s cannot be written')\\n"
                "    sys.exit(7)\\n"
                "open(os.path.join(%r, 'frame-%s'), 'w').close()\\n"
            ) % (out, item, out, item, item, out, item)
            return [sys.executable, "-c", code]


    if __name__ == "__main__":
        Engine.main()
    """
)


class Farm:
    def __init__(self, server: StandinServer, client: AccsynClient, out: Path, lines: List[str]) -> None:
        self.server, self.client, self.out, self.lines = server, client, out, lines

    def submit(self, frames: str, bucket: int = 3, **extra: Any) -> str:
        payload = {"engine": "blender", "input": "share=projects/a.blend", "output": str(self.out), "range": frames,
                   "settings": {"task_bucketsize": str(bucket)}, **extra}  # fmt: skip
        return str(self.client.create_compute_job(payload)["id"])

    def status(self, job_id: str) -> str:
        job = self.client.find_job(job_id)
        assert job is not None
        return str(job["status"])

    def wait_finished(self, job_id: str, seconds: float = 60) -> str:
        wait_for(lambda: self.status(job_id) in ("done", "failed", "aborted"), seconds)
        return self.status(job_id)

    def frames(self) -> List[str]:
        return sorted(path.name for path in self.out.glob("frame-*"))


def wait_for(condition: Callable[[], bool], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def start_farm(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_jobs: bool = True) -> Iterator[Farm]:
    engines = tmp_path / "engines"
    engines.mkdir()
    (engines / "blender.py").write_text(FRAME_ENGINE)
    monkeypatch.setenv("ACCSYN_DCC_ENGINES", str(engines))
    monkeypatch.setenv("SLEEP", "0")
    out = tmp_path / "out"
    out.mkdir()
    lines: List[str] = []
    with StandinServer(str(tmp_path / "data"), run_jobs=run_jobs, on_status=lines.append) as server:
        point_environment_at(server, monkeypatch)
        user = server.seed["users"][0]
        client = connect(Credentials("demo", user["code"], user["api_key"], proxy=f"127.0.0.1:{server.port}"))
        yield Farm(server, client, out, lines)


@pytest.fixture
def farm(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Farm]:
    yield from start_farm(tmp_path, monkeypatch)


@pytest.fixture
def idle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Farm]:
    """The stand-in without a farm: jobs stay as they are set."""
    yield from start_farm(tmp_path, monkeypatch, run_jobs=False)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> Dict[str, Any]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return {"code": code, "out": captured.out, "err": captured.err}


def test_jobs_lists_the_newest_first_and_filters_by_status_user_and_name(idle: Farm, capsys) -> None:
    first = idle.submit("1-2", name="shot010 comp")
    second = idle.submit("1-3", name="shot020 light")
    third = idle.submit("1-4", name="shot030 comp")
    idle.client.pause_job(second)
    listed = run(capsys, "jobs")
    assert listed["code"] == 0
    rows = listed["out"].splitlines()[1:]
    assert [row.split()[0] for row in rows] == [third, second, first]
    assert "artist@example.com" in rows[0]
    assert run(capsys, "jobs", "--limit", "1")["out"].splitlines()[1].split()[0] == third
    assert [row.split()[0] for row in run(capsys, "jobs", "--name", "COMP")["out"].splitlines()[1:]] == [third, first]
    assert [row.split()[0] for row in run(capsys, "jobs", "--status", "paused")["out"].splitlines()[1:]] == [second]
    assert run(capsys, "jobs", "--user", "nobody@example.com")["out"] == "no jobs\n"
    document = json.loads(run(capsys, "jobs", "--user", "ARTIST@example.com", "--json")["out"])
    assert [job["id"] for job in document] == [third, second, first]


def test_job_shows_progress_tasks_and_each_failed_tasks_own_reason_and_log(farm: Farm, capsys) -> None:
    (farm.out / "fail-2").touch()
    (farm.out / "fail-5").touch()
    job = farm.submit("1-6")
    assert farm.wait_finished(job) == "failed"
    shown = run(capsys, "job", job)
    assert shown["code"] == 1
    out = shown["out"]
    assert "failed: done 2, failed 4, running 0, waiting 0 of 6 (33%); elapsed " in out
    rows = {line.split()[0]: line for line in out.splitlines() if line[:1].isdigit() and len(line.split()) > 1}
    assert "RuntimeError: frame 2 cannot be written" in rows["2"] and "frame 5" not in rows["2"]
    assert "RuntimeError: frame 5 cannot be written" in rows["5"]
    assert "not rendered: item 2 of its task failed first" in rows["3"]
    assert "-worker" in rows["1"] and rows["1"].split()[1] == "done"
    log = run(capsys, "job", job, "--log", "5")
    assert log["code"] == 0
    assert "RuntimeError: frame 5 cannot be written" in log["out"] and "frame 2" not in log["out"]
    missing = run(capsys, "job", job, "--log", "99")
    assert missing["code"] == 1 and missing["err"].count("\n") == 1 and "has no task 99" in missing["err"]


def test_requeue_renders_only_the_failed_tasks_again_or_the_given_items(farm: Farm, capsys) -> None:
    (farm.out / "fail-2").touch()
    job = farm.submit("1-6")
    assert farm.wait_finished(job) == "failed"
    (farm.out / "fail-2").unlink()
    (farm.out / "frame-1").unlink()  # done: a requeue of the failed tasks leaves it
    requeued = run(capsys, "requeue", job)
    assert requeued["code"] == 0 and "2 task(s) queued again (2-3)" in requeued["out"]
    assert farm.wait_finished(job) == "done"
    assert farm.frames() == ["frame-2", "frame-3", "frame-4", "frame-5", "frame-6"]
    assert run(capsys, "job", job)["code"] == 0
    assert "1 task(s) queued again (1)" in run(capsys, "requeue", job, "--items", "1")["out"]
    assert farm.wait_finished(job) == "done" and "frame-1" in farm.frames()
    assert "has no failed tasks; nothing requeued" in run(capsys, "requeue", job)["out"]
    assert run(capsys, "requeue", job, "--items", "12-14")["code"] == 1


def test_pause_resume_and_abort_from_the_command_line(farm: Farm, capsys, monkeypatch) -> None:
    monkeypatch.setenv("SLEEP", "0.3")
    job = farm.submit("1-20", bucket=1)
    wait_for(lambda: len(farm.frames()) >= 2)
    assert run(capsys, "pause", job)["out"] == f"job {job}: paused\n"
    assert farm.server.dispatcher is not None
    farm.server.dispatcher.join(10)
    held = len(farm.frames())
    time.sleep(1)
    assert len(farm.frames()) == held < 20
    assert run(capsys, "job", job)["code"] == jobs_cli.NOT_FINISHED
    assert run(capsys, "resume", job)["out"] == f"job {job}: waiting\n"
    assert farm.wait_finished(job) == "done" and len(farm.frames()) == 20

    monkeypatch.setenv("SLEEP", "30")
    slow = farm.submit("101-110", bucket=1)
    wait_for(lambda: any(task["status"] == "executing" for task in farm.client.find_tasks(slow)))
    asked = time.monotonic()
    assert run(capsys, "abort", slow)["out"] == f"job {slow}: aborted\n"
    farm.server.dispatcher.join(10)
    assert time.monotonic() - asked < 5  # the sleeping engines were killed
    time.sleep(0.5)
    assert farm.status(slow) == "aborted" and run(capsys, "job", slow)["code"] == 1
    assert not [name for name in farm.frames() if name.startswith("frame-1") and len(name) > 8]
    said = run(capsys, "requeue", slow, "--items", "101")["out"]
    assert f"the job is aborted: they render when it resumes (accsyn-dcc resume {slow})" in said


def test_watch_follows_the_job_to_its_end_bounded_and_quiet_on_ctrl_c(farm: Farm, capsys, monkeypatch) -> None:
    monkeypatch.setenv("SLEEP", "0.2")
    job = farm.submit("1-4", bucket=1)
    watched = run(capsys, "job", job, "--watch", "--interval", "0.2")
    assert watched["code"] == 0
    assert "done: done 4, failed 0, running 0, waiting 0 of 4 (100%)" in watched["out"]
    paused = farm.submit("1-2", status="paused")
    bounded = run(capsys, "job", paused, "--watch", "--timeout", "0.5", "--interval", "0.1")
    assert bounded["code"] == 1 and bounded["err"] == f"accsyn-dcc job: job {paused} still paused after 0.5 s\n"

    def interrupted(seconds: float) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(jobs_cli.time, "sleep", interrupted)
    stopped = run(capsys, "job", paused, "--watch")
    assert stopped["code"] == 130 and stopped["err"] == "accsyn-dcc job: interrupted\n"


def test_a_job_of_100000_frames_is_created_at_once_and_no_folder_is_made_for_a_bucket_not_run(
    farm: Farm, capsys, monkeypatch
) -> None:
    monkeypatch.setenv("SLEEP", "30")
    database = Path(farm.server.data_dir) / DATABASE_NAME
    before = database.stat().st_size
    asked = time.monotonic()
    job = farm.submit("1-100000", bucket=1)
    assert time.monotonic() - asked < 10
    wait_for(lambda: farm.status(job) == "running")
    assert database.stat().st_size - before < 256 * 1024
    time.sleep(1)
    folders = os.listdir(Path(farm.server.data_dir) / "farm" / job / "tasks")
    assert sorted(folders) == ["1", "2"]  # the two workers' buckets, nothing else
    assert len(farm.client.find_tasks(job)) == 100000
    assert run(capsys, "abort", job)["code"] == 0
    assert farm.server.dispatcher is not None
    farm.server.dispatcher.join(10)
    assert farm.status(job) == "aborted"


def test_the_same_job_sent_again_while_the_first_is_unfinished_says_so_and_duplicate_sends_it(
    idle: Farm, tmp_path: Path, capsys, monkeypatch
) -> None:
    for name in ("ACCSYN_DCC_STUDIO_CONFIG", "ACCSYN_CREDENTIALS_PATH"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ACCSYN_DCC_USER_CONFIG", str(tmp_path / "user.json"))
    script = tmp_path / "x.nk"
    write = "Write {\n file /mnt/projects/shot/render/x.%04d.exr\n file_type exr\n name Write1\n}\n"
    script.write_text("Root {\n inputs 0\n first_frame 1\n last_frame 10\n}\n" + write)
    created = run(capsys, "submit", str(script))
    assert created["code"] == 0 and created["out"].startswith("created job ")
    job = created["out"].split()[-1]
    time.sleep(1.1)  # accsyn dates are to the second
    again = run(capsys, "submit", str(script))
    assert again["code"] == 0
    assert again["out"] == f"already submitted as job {job} (waiting); --duplicate sends it again\n"
    duplicate = run(capsys, "submit", str(script), "--duplicate")
    assert duplicate["out"].startswith("created job ") and duplicate["out"].split()[-1] != job
    assert len(idle.client.find_jobs()) == 2


def test_ctrl_c_stops_a_server_running_a_huge_job_at_once_and_a_restart_resumes_it(
    idle: Farm, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("SLEEP", "30")
    data = tmp_path / "farm-data"
    command = [sys.executable, "-m", "accsyn_dcc", "server", "--port", "0", "--data", str(data), "--run-jobs"]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        assert select.select([server.stdout], [], [], 30)[0], "the server said nothing"
        assert server.stdout is not None
        port = int(server.stdout.readline().split("127.0.0.1:")[1].split("/")[0])
        user = idle.server.seed["users"][0]
        client = connect(Credentials("demo", user["code"], user["api_key"], proxy=f"127.0.0.1:{port}"))
        job = client.create_compute_job({"engine": "blender", "input": "share=projects/a.blend", "range": "1-100000",
                                         "output": str(idle.out), "settings": {"task_bucketsize": "1"}})  # fmt: skip
        wait_for(lambda: len(list(idle.out.glob("pid-*"))) == 2)
        asked = time.monotonic()
        server.send_signal(signal.SIGINT)
        assert server.wait(15) == 130 and time.monotonic() - asked < 10
    finally:
        server.kill()
        server.wait()
    engines = [int(path.read_text()) for path in idle.out.glob("pid-*")]
    wait_for(lambda: not any(_alive(pid) for pid in engines), 5)  # the engines were stopped with the server
    lines: List[str] = []
    with StandinServer(str(data), run_jobs=True, on_status=lines.append) as restarted:
        assert lines[0] == f"job {job['id']} (a): waiting (the stand-in restarted)"
        user = restarted.seed["users"][0]
        client = connect(Credentials("demo", user["code"], user["api_key"], proxy=f"127.0.0.1:{restarted.port}"))
        wait_for(lambda: lines[-1].endswith(": running"))
        client.abort_job(job["id"])


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True

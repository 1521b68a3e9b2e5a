"""The local farm and the engine base never lose a frame (issue: clear, locks, races, kills, stale copies)."""

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from accsyn_dcc.errors import AccsynDccError
from accsyn_dcc.farm import LocalFarm
from accsyn_dcc.farm.runner import JobFolderLock

FRAME_ENGINE = textwrap.dedent(
    """\
    import os, sys
    sys.path.append(os.environ["ACCSYN_COMPUTE_COMMON_PATH"])
    from common import Common


    class Engine(Common):
        # -- ENGINE CONFIG START --
        SETTINGS = {"items": True, "default_bucketsize": 1, "binary_filename_extensions": ""}
        PARAMETERS = {"arguments": "--from-engine-config"}
        # -- ENGINE CONFIG END --
        LOCK_WAIT_SECONDS = 0.05

        def get_executable(self):
            return sys.executable

        def get_commandline(self, item):
            output, job = self.get_output(), self.data["job"]["code"]
            code = (
                "import os, sys, time\\n"
                "first, _, last = os.environ['ACCSYN_ITEM'].partition('-')\\n"
                "open(os.path.join(%r, 'pid-' + os.environ['ACCSYN_ITEM']), 'w').write(str(os.getpid()))\\n"
                "time.sleep(float(os.environ.get('SLEEP', '0')))\\n"
                "for frame in range(int(first), int(last or first) + 1):\\n"
                "    open(os.path.join(%r, '%s.%%04d.exr' %% frame), 'w').write(%r)\\n"
                "print('input ' + %r)\\n"
                "print('arguments ' + %r)\\n"
            ) % (os.path.dirname(output), output, job, job, self.get_input(),
                 str(self.get_compute()["parameters"].get("arguments")))
            return [sys.executable, "-c", code]


    if __name__ == "__main__":
        Engine.main()
    """
)


@pytest.fixture
def engines(tmp_path):
    folder = tmp_path / "engines"
    folder.mkdir()
    (folder / "frames.py").write_text(FRAME_ENGINE)
    return folder


def job(tmp_path, name, **parameters):
    return {
        "engine": "frames",
        "name": name,
        "input": str(tmp_path / "scene.txt"),
        "output": str(tmp_path / "renders" / "out"),
        "range": "1-4",
        "settings": {"task_bucketsize": "1"},
        "parameters": parameters,
    }


def run(tmp_path, engines, payload, **options):
    options.setdefault("work_dir", str(tmp_path / "work" / payload["name"]))
    return LocalFarm(payload, engines_dir=str(engines), progress=False, **options).run()


def test_three_jobs_in_turn_on_one_output_keep_every_frame(tmp_path, engines):
    (tmp_path / "scene.txt").write_text("scene")
    for name in ("jobA", "jobB", "jobC"):
        summary = run(tmp_path, engines, job(tmp_path, name, clear_output_directory="true"), workers=2, retries=0)
        assert summary.ok and summary.frames_done == [1, 2, 3, 4]
    output = tmp_path / "renders" / "out"
    assert sorted(path.name for path in output.glob("*.exr")) == [f"jobC.{n:04d}.exr" for n in range(1, 5)]
    moved = sorted(path.name for path in (tmp_path / "renders" / "ZZZ-TEMP").rglob("*.exr"))
    assert moved == sorted(f"job{x}.{n:04d}.exr" for x in "AB" for n in range(1, 5))


@pytest.mark.parametrize("attempt", range(4))
def test_two_workers_localizing_one_input_and_clearing_one_output_never_fail(tmp_path, engines, attempt):
    (tmp_path / "scene.txt").write_text("read /old/plates/a.exr\n")
    (tmp_path / "renders" / "out").mkdir(parents=True)
    (tmp_path / "renders" / "out" / "earlier.exr").write_text("an earlier job's frame")
    payload = job(
        tmp_path,
        "jobL",
        input_conversion="always",
        clear_output_directory="true",
        mapped_share_paths=[{"remote": "/old", "local": str(tmp_path / "new")}],
    )
    summary = run(tmp_path, engines, payload, workers=2, retries=0)
    assert summary.ok, [Path(task.log).read_text()[-2000:] for task in summary.tasks if not task.ok]
    localized = tmp_path / "scene_accsynlocalized_hq_linux.txt"
    assert localized.read_text() == f"read {tmp_path}/new/plates/a.exr\n"
    assert not list(tmp_path.glob("*_lock")) and not list((tmp_path / "renders").glob("*_lock"))
    assert [p.read_text() for p in (tmp_path / "renders" / "ZZZ-TEMP").rglob("earlier.exr")] == [
        "an earlier job's frame"
    ]


def test_a_localized_copy_made_for_other_mappings_is_made_again(tmp_path, engines):
    (tmp_path / "scene.txt").write_text("read /old/plates/a.exr\n")
    first = job(tmp_path, "jobN1", input_conversion="always",
                mapped_share_paths=[{"remote": "/old", "local": "/first"}])  # fmt: skip
    second = job(tmp_path, "jobN2", input_conversion="always",
                 mapped_share_paths=[{"remote": "/old", "local": "/second"}])  # fmt: skip
    assert run(tmp_path, engines, first, workers=1).ok
    assert run(tmp_path, engines, second, workers=1).ok
    localized = tmp_path / "scene_accsynlocalized_hq_linux.txt"
    assert localized.read_text() == "read /second/plates/a.exr\n"


def test_engine_config_parameters_reach_the_engine_under_the_jobs_own(tmp_path, engines):
    (tmp_path / "scene.txt").write_text("x")
    summary = run(tmp_path, engines, job(tmp_path, "jobP"), workers=1)
    assert "arguments --from-engine-config" in Path(summary.tasks[0].log).read_text()
    summary = run(tmp_path, engines, job(tmp_path, "jobQ", arguments="-mine"), workers=1)
    assert "arguments -mine" in Path(summary.tasks[0].log).read_text()


def test_the_same_job_twice_at_once_is_refused(tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    running = r"job abc is already running from .* \(process \d+\); wait for it, or give another --work-dir"
    with JobFolderLock(str(work), "abc"), pytest.raises(AccsynDccError, match=running):
        JobFolderLock(str(work), "abc").__enter__()
    (work / "running.lock").write_text("999999999")  # left by a killed run
    with JobFolderLock(str(work), "abc"):
        assert (work / "running.lock").read_text() == str(os.getpid())
    assert not (work / "running.lock").exists()


def test_a_sigkilled_runner_leaves_no_engine_or_render_running(tmp_path, engines):
    (tmp_path / "scene.txt").write_text("x")
    (tmp_path / "renders" / "out").mkdir(parents=True)
    (tmp_path / "job.json").write_text(json.dumps(job(tmp_path, "jobK")))
    env = dict(os.environ, SLEEP="60", ACCSYN_DCC_USER_CONFIG=str(tmp_path / "user.json"))
    command = ["farm", "run", str(tmp_path / "job.json"), "--engines", str(engines), "--work-dir", str(tmp_path / "w")]
    runner = subprocess.Popen([sys.executable, "-m", "accsyn_dcc", *command], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    deadline = time.monotonic() + 30
    while len(list((tmp_path / "renders").glob("pid-*"))) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    renders = [int(path.read_text()) for path in (tmp_path / "renders").glob("pid-*")]
    assert len(renders) == 2
    runner.send_signal(signal.SIGKILL)
    runner.wait(timeout=10)
    deadline = time.monotonic() + 15
    while any(_alive(pid) for pid in renders) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [pid for pid in renders if _alive(pid)] == []


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie waiting for its (dead) parent counts as gone
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return True


def test_an_output_folder_another_node_creates_first_is_not_an_error(tmp_path, monkeypatch):
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "accsyn_engine_common", Path(__file__).parents[2] / "engines" / "common.py"
    )
    common = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(common)

    data = tmp_path / "data.json"
    data.write_text(json.dumps({"compute": {"input": "", "output": str(tmp_path / "out"), "parameters": {}},
                                "shares": [], "client": {}, "site": {"code": "hq"}}))  # fmt: skip
    engine = common.Common(["engine.py", str(data)])
    engine.load()
    real_makedirs = os.makedirs

    def another_node_was_faster(path, *args, **kwargs):
        real_makedirs(path)
        raise FileExistsError(17, "File exists", path)

    monkeypatch.setattr(common.os, "makedirs", another_node_was_faster)
    engine.prepare()
    assert (tmp_path / "out").is_dir()


def test_two_jobs_rendering_into_one_output_at_once_keep_every_frame(tmp_path, engines, monkeypatch):
    import threading

    (tmp_path / "scene.txt").write_text("scene")
    monkeypatch.setenv("SLEEP", "0.2")
    results = {}

    def render(name):
        results[name] = run(tmp_path, engines, job(tmp_path, name, clear_output_directory="true"), workers=2, retries=0)

    threads = [threading.Thread(target=render, args=(name,)) for name in ("jobX", "jobY")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    for summary in results.values():  # a job whose folder the other took over says so, and claims nothing there
        assert all("taken over by job" in task.reason or "do not count" in task.reason
                   for task in summary.tasks if not task.ok), [task.reason for task in summary.tasks]  # fmt: skip
    assert any(summary.ok for summary in results.values())
    frames = {path.name for path in (tmp_path / "renders").rglob("*.exr")}
    claimed = {f"{name}.{n:04d}.exr" for name, summary in results.items() for n in summary.frames_done}
    assert claimed <= frames  # in the output or moved aside, never deleted

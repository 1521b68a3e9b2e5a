"""The local farm: buckets, the data JSON layout, retries, resume and clean interrupts."""

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from standin_env import point_environment_at

from accsyn_dcc.errors import AccsynDccError
from accsyn_dcc.farm import LocalFarm
from accsyn_dcc.farm.engines import engine_script
from accsyn_dcc.workspace import Volume

RECORDING_ENGINE = textwrap.dedent(
    """\
    import json, os, sys, time
    sys.path.append(os.environ["ACCSYN_COMPUTE_COMMON_PATH"])
    from common import Common


    class Engine(Common):
        # -- ENGINE CONFIG START --
        SETTINGS = {"items": True, "default_bucketsize": 2}
        # -- ENGINE CONFIG END --

        def get_executable(self):
            return sys.executable

        def get_commandline(self, item):
            marker = os.path.join(self.get_compute()["output"], "fail-" + item)
            code = (
                "import os, sys, time\\n"
                "open(os.path.join(%r, 'pid-%s'), 'w').write(str(os.getpid()))\\n"
                "time.sleep(float(os.environ.get('SLEEP', '0')))\\n"
                "if os.path.exists(%r):\\n"
                "    os.remove(%r)\\n"
                "    sys.exit(7)\\n"
            ) % (self.get_compute()["output"], item, marker, marker)
            return [sys.executable, "-c", code]


    if __name__ == "__main__":
        Engine.main()
    """
)


@pytest.fixture
def engines(tmp_path):
    folder = tmp_path / "engines"
    folder.mkdir()
    (folder / "recorder.py").write_text(RECORDING_ENGINE)
    return folder


def payload(tmp_path, **extra):
    output = tmp_path / "out"
    output.mkdir(exist_ok=True)
    data = {"engine": "recorder", "input": "share=projects/a.txt", "output": str(output), "range": "1-5"}
    data["settings"] = {"task_bucketsize": "2"}
    data.update(extra)
    return data


def farm(tmp_path, engines, job, **options):
    volumes = [Volume("projects", {"linux": "/mnt/projects", "windows": "P:"}, id="v1", default=True)]
    return LocalFarm(
        job, volumes=volumes, local_share_paths={"projects": "/local/projects"}, engines_dir=str(engines),
        work_dir=str(tmp_path / "work"), progress=False, **options,
    )  # fmt: skip


def test_buckets_run_in_parallel_with_daemon_style_data(tmp_path, engines):
    summary = farm(tmp_path, engines, payload(tmp_path), workers=2).run()
    assert summary.ok and summary.frames_done == [1, 2, 3, 4, 5]
    assert [task.item for task in summary.tasks] == ["1-2", "3-4", "5"]
    data = json.loads((tmp_path / "work" / "tasks" / "3-4" / "data.json").read_text())
    assert set(data) == {"compute", "client", "shares", "site", "job", "process"}
    assert data["shares"] == [
        {"id": "v1", "code": "projects", "default": True, "paths": {"linux": "/mnt/projects", "windows": "P:"}}
    ]
    assert data["client"]["config"]["sharepaths"] == [
        {"share": "projects", "share_hr": "projects", "path": "/local/projects"}
    ]
    assert data["compute"]["id"] == data["job"]["id"] == summary.job_id
    assert "ACCSYN_ITEM=3-4" in (tmp_path / "work" / "tasks" / "3-4" / "task.log").read_text()


def test_failed_bucket_is_retried_then_reported(tmp_path, engines):
    job = payload(tmp_path)
    (tmp_path / "out" / "fail-3-4").write_text("once")
    summary = farm(tmp_path, engines, job, retries=1).run()
    assert summary.ok
    assert next(task for task in summary.tasks if task.item == "3-4").attempts == 2

    job = payload(tmp_path, range="1-2")
    (tmp_path / "out" / "fail-1-2").write_text("x")
    summary = farm(tmp_path, engines, job, retries=0).run()
    assert summary.failed_buckets == ["1-2"] and not summary.ok
    assert summary.tasks[0].exit_code == 7 and "bucket 1-2" in str(summary)
    assert "exit code 7" in Path(summary.tasks[0].log).read_text()


def test_an_engine_stopped_by_a_signal_is_reported_as_such(tmp_path, engines):
    """The out-of-memory killer or a crash ends the engine itself: the reason names the signal, not a -9."""
    (engines / "doomed.py").write_text("import os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n")
    summary = farm(tmp_path, engines, payload(tmp_path, engine="doomed", range="1"), retries=0).run()
    assert summary.failed_buckets == ["1"]
    assert summary.tasks[0].reason == "stopped by SIGKILL"
    assert Path(summary.tasks[0].log).read_text().rstrip().endswith("--- stopped by SIGKILL")


def test_rerun_skips_buckets_already_done(tmp_path, engines):
    job = payload(tmp_path)
    (tmp_path / "out" / "fail-5").write_text("x")
    first = farm(tmp_path, engines, job, retries=0).run()
    assert first.failed_buckets == ["5"]
    for pid_file in (tmp_path / "out").glob("pid-*"):
        pid_file.unlink()
    second = farm(tmp_path, engines, job, retries=0).run()
    assert second.ok and second.frames_done == [1, 2, 3, 4, 5]
    assert sorted(path.name for path in (tmp_path / "out").glob("pid-*")) == ["pid-5"]
    assert [task.skipped for task in second.tasks] == [True, True, False]


def test_engine_lookup(tmp_path, engines):
    (engines / "nuke.py").write_text("")
    assert engine_script("nuke-15", str(engines)).endswith("nuke.py")
    assert engine_script("recorder", str(engines)).endswith("recorder.py")
    with pytest.raises(AccsynDccError, match="no engine script for 'maya-2025'"):
        engine_script("maya-2025", str(engines))


def test_interrupt_leaves_no_orphaned_processes(tmp_path, engines):
    job = payload(tmp_path, range="1-4", input=str(tmp_path / "a.txt"))
    (tmp_path / "job.json").write_text(json.dumps(job))
    env = dict(os.environ, SLEEP="60", ACCSYN_DCC_ENGINES=str(engines))
    env["ACCSYN_DCC_USER_CONFIG"] = str(tmp_path / "user.json")
    command = ["farm", "run", str(tmp_path / "job.json"), "--work-dir", str(tmp_path / "w")]
    process = subprocess.Popen(
        [sys.executable, "-m", "accsyn_dcc", *command],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while len(list((tmp_path / "out").glob("pid-*"))) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    children = [int(path.read_text()) for path in (tmp_path / "out").glob("pid-*")]
    assert len(children) == 2
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=30) == 130
    time.sleep(0.2)
    for pid in children:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def test_rerun_says_what_it_skipped_and_fresh_renders_everything_again(tmp_path, engines):
    job = payload(tmp_path, range="1-4")
    assert farm(tmp_path, engines, job).run().ok
    again = farm(tmp_path, engines, job).run()
    assert "2 task(s) already done, skipped (use --fresh to render them again)" in str(again)
    for pid_file in (tmp_path / "out").glob("pid-*"):
        pid_file.unlink()
    fresh = farm(tmp_path, engines, job, fresh=True).run()
    assert not any(task.skipped for task in fresh.tasks) and "skipped" not in str(fresh)
    assert sorted(path.name for path in (tmp_path / "out").glob("pid-*")) == ["pid-1-2", "pid-3-4"]


def test_a_failed_bucket_says_why_and_where_its_log_is(tmp_path, engines):
    job = payload(tmp_path, range="1-2")
    (tmp_path / "out" / "fail-1-2").write_text("x")
    summary = farm(tmp_path, engines, job, retries=0).run()
    [task] = summary.tasks
    assert task.reason == "The render application exited with code 7"
    assert f"failed: bucket 1-2: The render application exited with code 7 (log: {task.log})" in str(summary)


def test_standin_job_shows_each_failed_tasks_reason_and_the_server_tells_each_state(
    tmp_path, engines, monkeypatch, capsys
):
    from accsyn_dcc.api import connect
    from accsyn_dcc.cli import main
    from accsyn_dcc.credentials import Credentials
    from accsyn_dcc.standin import StandinServer, load_seed

    (engines / "blender.py").write_text(RECORDING_ENGINE)
    monkeypatch.setenv("ACCSYN_DCC_ENGINES", str(engines))
    seed = load_seed(None)
    user = seed["users"][0]
    lines = []
    with StandinServer(str(tmp_path / "data"), run_jobs=True, on_status=lines.append) as server:
        point_environment_at(server, monkeypatch)
        client = connect(Credentials("demo", user["code"], user["api_key"], proxy=f"127.0.0.1:{server.port}"))
        (tmp_path / "out").mkdir()
        (tmp_path / "out" / "fail-3").mkdir()  # removing it fails: the bucket fails on every attempt
        compute = {"engine": "blender", "input": "share=projects/a.blend", "output": str(tmp_path / "out"),
                   "range": "1-3", "settings": {"task_bucketsize": "2"}}  # fmt: skip
        job = client.create_compute_job(compute)
        deadline = time.monotonic() + 60
        while client.find_job(job["id"])["status"] not in ("done", "failed") and time.monotonic() < deadline:
            time.sleep(0.1)
        server.dispatcher.join(30)
        assert [task["status"] for task in client.find_tasks(job["id"])] == ["done", "done", "failed"]
        capsys.readouterr()
        assert main(["job", job["id"]]) == 1  # a failed job
    out = capsys.readouterr().out
    [row] = [line for line in out.splitlines() if line.startswith("3 ")]
    assert "IsADirectoryError: [Errno 21] Is a directory: " in row and f"job {job['id']} --log 3" in out
    assert [line.split(": ", 1)[1] for line in lines] == ["created, waiting", "running", "failed"]


def test_a_failing_job_never_looks_waiting_while_its_failed_task_is_recorded(tmp_path, engines, monkeypatch, capsys):
    """The slot of a bucket is freed only once its tasks' statuses are saved: the dispatcher never finds the job idle
    with a task still 'executing' (it called the job 'waiting' before 'failed')."""
    from accsyn_dcc.standin.dispatch import LocalDispatcher

    real = LocalDispatcher._record

    def slow_record(self, *args, **kwargs):
        time.sleep(0.5)  # a busy store: the dispatcher looks at the job meanwhile
        return real(self, *args, **kwargs)

    monkeypatch.setattr(LocalDispatcher, "_record", slow_record)
    test_standin_job_shows_each_failed_tasks_reason_and_the_server_tells_each_state(
        tmp_path, engines, monkeypatch, capsys
    )


def test_frames_are_reported_as_they_finish_while_the_bucket_renders(tmp_path, engines, monkeypatch):
    looping = RECORDING_ENGINE.replace('"default_bucketsize": 2}', '"default_bucketsize": 3, "max_bucketsize": 1}')
    (engines / "looper.py").write_text(looping)
    job = payload(tmp_path, engine="looper", range="1-3", settings={"task_bucketsize": "3"})
    seen = []
    started = time.monotonic()
    done_at = []
    runner = farm(tmp_path, engines, job, workers=1, on_frame=lambda item: seen.append((item, time.monotonic())),
                  on_task=lambda task: done_at.append(time.monotonic()))  # fmt: skip
    monkeypatch.setenv("SLEEP", "0.3")
    result = runner.run()
    assert result.ok and [item for item, _ in seen] == ["1", "2"]  # the last item ends with the process
    assert seen[0][1] < done_at[0] - 0.2 and seen[0][1] > started


@pytest.mark.parametrize(
    ("job", "named"),
    [
        ([1, 2], "payload: a Compute payload must be a JSON object"),
        ({"engine": "recorder", "input": "a.nk", "settings": {"task_bucketsize": "abc"}}, "settings.task_bucketsize"),
        ({"engine": "nope", "input": "a.nk"}, "no engine script for 'nope' in "),
    ],
)
def test_a_payload_accsyn_would_refuse_is_refused_here_in_one_line(tmp_path, engines, job, named):
    """The local farm applies the payload rules first: a list crashed it, a bad bucket size ran anyway."""
    with pytest.raises(AccsynDccError, match=named) as refused:
        farm(tmp_path, engines, job)
    assert "\n" not in str(refused.value) and "nope.py and nope.py" not in str(refused.value)


@pytest.mark.parametrize("failing", ["os.open", "open"], ids=["the-run-lock", "task-data-and-logs"])
def test_a_full_disk_under_the_work_folder_ends_in_one_line_naming_it(tmp_path, engines, monkeypatch, capsys, failing):
    """Every write into the work folder fails with ENOSPC (no tiny tmpfs here): one line, no traceback."""
    import errno

    from accsyn_dcc.cli import main
    from accsyn_dcc.farm import runner

    work = tmp_path / "work"
    work.mkdir()
    (tmp_path / "job.json").write_text(json.dumps(payload(tmp_path, input=str(tmp_path / "a.txt"))))

    def full(real):
        def write(path, *args, **kwargs):
            mode = args[0] if args else kwargs.get("mode", kwargs.get("flags", "r"))
            writing = isinstance(mode, int) or any(letter in mode for letter in "wax+")
            if writing and str(path).startswith(str(work)):
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
            return real(path, *args, **kwargs)

        return write

    if failing == "os.open":
        monkeypatch.setattr(os, "open", full(os.open))
    else:
        monkeypatch.setattr(runner, "open", full(open), raising=False)
    monkeypatch.setenv("ACCSYN_DCC_USER_CONFIG", str(tmp_path / "user.json"))
    command = ["farm", "run", str(tmp_path / "job.json"), "--engines", str(engines), "--work-dir", str(work)]
    assert main(command) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.splitlines()[-1] == (
        f"accsyn-dcc farm: work folder {work}: cannot write (No space left on device); "
        "free some space there or give another --work-dir"
    )


def test_a_run_leaves_no_engine_output_pipe_open(tmp_path, engines):
    """Each engine's output pipe is closed once it is read (a long farm run opened one per task and bucket)."""
    import gc
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        assert farm(tmp_path, engines, payload(tmp_path), workers=2).run().ok
        gc.collect()
    unclosed = [str(warning.message) for warning in caught if issubclass(warning.category, ResourceWarning)]
    assert not [message for message in unclosed if "TextIOWrapper" in message], unclosed

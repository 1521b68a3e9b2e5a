"""The local farm says "done" for frames on disk: two jobs clearing one output at once, resumes, silent engines."""

import json
import os
import subprocess
import sys
import textwrap
import time

import pytest

from accsyn_dcc.farm import LocalFarm

RACE_ENGINE = textwrap.dedent(
    """\
    import os, sys
    sys.path.append(os.environ["ACCSYN_COMPUTE_COMMON_PATH"])
    from common import Common


    class Engine(Common):
        # -- ENGINE CONFIG START --
        SETTINGS = {"items": True, "default_bucketsize": 2}
        # -- ENGINE CONFIG END --
        LOCK_WAIT_SECONDS = 0.05
        OUTPUT_WAIT_SECONDS = 30

        def output_is_folder(self):
            return False

        def get_executable(self):
            return sys.executable

        def get_commandline(self, item):
            first, _, last = item.partition("-")
            code = (
                "import time\\n"
                "for frame in range(%d, %d):\\n"
                "    time.sleep(0.02)\\n"
                "    open(%r.replace('####', '%%04d' %% frame), 'w').write(%r)\\n"
            ) % (int(first), int(last or first) + 1, self.get_output(), self.data["job"]["code"])
            return [sys.executable, "-c", code]


    if __name__ == "__main__":
        Engine.main()
    """
)
FRAMES = 20


def start_job(tmp_path, name):
    """``accsyn-dcc farm run`` of a 20-frame job on the shared output, in a process of its own."""
    payload = {
        "engine": "race",
        "name": name,
        "input": str(tmp_path / "scene.txt"),
        "output": str(tmp_path / "renders" / "out" / "frames.####.exr"),
        "range": f"1-{FRAMES}",
        "settings": {"task_bucketsize": "2"},
        "parameters": {"clear_output_directory": "true"},
    }
    job = tmp_path / f"{name}.json"
    job.write_text(json.dumps(payload))
    env = dict(os.environ, ACCSYN_DCC_USER_CONFIG=str(tmp_path / "user.json"))
    command = ["farm", "run", str(job), "--engines", str(tmp_path / "engines"), "--work-dir", str(tmp_path / name)]
    return subprocess.Popen([sys.executable, "-m", "accsyn_dcc", *command, "--json", "--retries", "0"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip


def frames_in(folder):
    """{frame: the job name written into it} for the frames a folder holds."""
    return {int(path.name.split(".")[1]): path.read_text() for path in folder.glob("frames.*.exr")}


@pytest.mark.parametrize("attempt", range(3))
def test_two_jobs_clearing_one_output_at_once_say_done_only_for_their_frames_on_disk(tmp_path, attempt):
    (tmp_path / "scene.txt").write_text("scene")
    (tmp_path / "engines").mkdir()
    (tmp_path / "engines" / "race.py").write_text(RACE_ENGINE)
    runs = {name: start_job(tmp_path, name) for name in ("jobA", "jobB")}
    summaries = {}
    deadline = time.monotonic() + 120
    for name, process in runs.items():
        out, err = process.communicate(timeout=max(deadline - time.monotonic(), 1))
        assert "Traceback" not in err, err
        summaries[name] = json.loads(out)
    names = {summary["job_id"]: name for name, summary in summaries.items()}
    output = tmp_path / "renders" / "out"
    metadata = output / ".accsyn-compute-metadata.json"
    owner = names[json.loads(metadata.read_text())["id"]] if metadata.exists() else None
    in_output = frames_in(output)
    assert set(in_output.values()) <= {owner}, "a job rendered into another job's clearing"
    aside = {folder: frames_in(folder) for folder in (tmp_path / "renders" / "ZZZ-TEMP" / "out").glob("*")}
    for folder, frames in aside.items():
        clearer = names[folder.name.split("_", 1)[1]]
        assert clearer not in frames.values(), f"{clearer} moved its own frames aside"
    for name, summary in summaries.items():
        claimed = set(summary["frames_done"])
        if name == owner:
            assert summary["ok"] and claimed == set(in_output) == set(range(1, FRAMES + 1))
        elif not summary["ok"]:  # taken over while it rendered: nothing of it is in the output
            assert claimed == set(), (name, sorted(claimed))
            assert all("taken over by job" in task["reason"] or "do not count" in task["reason"]
                       for task in summary["tasks"] if not task["ok"]), summary["tasks"]  # fmt: skip
        else:  # it had ended when the owner cleared: its frames went aside together
            kept = [{frame for frame, job in frames.items() if job == name} for frames in aside.values()]
            assert any(claimed <= frames for frames in kept), (name, sorted(claimed), kept)


def pattern_job(tmp_path, name):
    """A job of the stand-in engine (unless the test wrote its own) rendering ``out/frames.####.exr``."""
    (tmp_path / "scene.txt").write_text("scene")
    if not (tmp_path / "engines").exists():
        (tmp_path / "engines").mkdir()
        (tmp_path / "engines" / "race.py").write_text(RACE_ENGINE)
    return {"engine": "race", "name": name, "input": str(tmp_path / "scene.txt"), "range": "1-4",
            "output": str(tmp_path / "out" / "frames.####.exr"), "settings": {"task_bucketsize": "2"}}  # fmt: skip


def farm(tmp_path, payload, **options):
    return LocalFarm(payload, engines_dir=str(tmp_path / "engines"), work_dir=str(tmp_path / "work"),
                     progress=False, retries=0, **options)  # fmt: skip


def test_a_resume_renders_again_the_frames_deleted_since_the_state_file_said_done(tmp_path):
    job = pattern_job(tmp_path, "jobR")
    assert farm(tmp_path, job).run().frames_done == [1, 2, 3, 4]
    (tmp_path / "out" / "frames.0003.exr").unlink()
    again = farm(tmp_path, job).run()
    assert again.ok and again.frames_done == [1, 2, 3, 4]
    assert [(task.item, task.skipped) for task in again.tasks] == [("1-2", True), ("3-4", False)]
    assert (tmp_path / "out" / "frames.0003.exr").read_text() == "jobR"


def test_a_bucket_whose_engine_exits_0_without_writing_its_frames_is_not_done(tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "frames.0002.exr").mkdir()  # the render cannot write frame 2 there, and says nothing
    (tmp_path / "engines").mkdir()
    silent = RACE_ENGINE.replace("    open(%r", "    0 if frame == 2 else open(%r")
    (tmp_path / "engines" / "race.py").write_text(silent)
    summary = farm(tmp_path, pattern_job(tmp_path, "jobS")).run()
    assert summary.frames_done == [1, 3, 4] and summary.failed_buckets == ["1-2"]
    assert summary.tasks[0].reason == f"frame(s) 2 are not on disk: {tmp_path}/out/frames.####.exr"
    assert "1 frame(s) done" not in str(summary) and "3 frame(s) done, 1 bucket(s) failed" in str(summary)

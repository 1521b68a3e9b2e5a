"""The Nuke engine against a stand-in Nuke executable (Nuke cannot run here)."""

import json

from engine_helpers import ENGINES, run_engine, write_data

NUKE = ENGINES / "nuke.py"


def test_probe_finds_nuke_executable(tmp_path, fake_nuke):
    result = run_engine(NUKE, args=["--probe"])
    assert result.returncode == 0, result.stderr
    assert f"Found {fake_nuke}" in result.stdout


def test_probe_fails_without_nuke(tmp_path, monkeypatch):
    monkeypatch.delenv("NUKE_EXECUTABLE", raising=False)
    result = run_engine(NUKE, args=["--probe"], env={"NUKE_EXECUTABLE": str(tmp_path / "nope")})
    assert result.returncode == 1
    assert "[WARNING] [ACCSYN]" in result.stderr


def test_bucket_renders_with_frames_writes_views_and_reports_each_frame(tmp_path, fake_nuke):
    script = tmp_path / "shot.nk"
    script.write_text("Root {}\n")
    compute = {
        "input": str(script),
        "output": str(tmp_path / "renders"),
        "parameters": {"arguments": "-txV", "writes": ["Write1", "Write2"], "views": ["left"], "proxy": True},
    }
    data = write_data(tmp_path, compute)
    result = run_engine(NUKE, data, item="1001-1003")
    assert result.returncode == 0, result.stderr
    argv = json.loads((tmp_path / "argv.json").read_text())
    assert argv == ["-txV", "-F", "1001-1003", "-X", "Write1,Write2", "--view", "left", "-p", str(script)]
    done = [json.loads(line)["uri"] for line in result.stdout.splitlines() if line.startswith('{"taskstatus"')]
    assert done == ["1001", "1002", "1003"]
    assert '{"taskstatus":true,"uri":"1001","status":"done"}' in result.stdout
    assert "!(" in result.stdout and "Writing /renders/comp.1001.exr took" in result.stdout
    assert (tmp_path / "process.pid").read_text().strip().isdigit()


def test_failure_exit_code_fails_the_task(tmp_path, fake_nuke):
    script = tmp_path / "shot.nk"
    script.write_text("Root {}\n")
    data = write_data(tmp_path, {"input": str(script), "parameters": {}})
    result = run_engine(NUKE, data, item="1", env={"FAKE_NUKE_EXIT": "3"})
    assert result.returncode == 3
    assert "exited with code 3" in result.stderr


def test_script_paths_are_localized_and_filename_filter_installed(tmp_path, fake_nuke):
    script = tmp_path / "shot.nk"
    script.write_text('Read {\n file "P:/plates/plate.%04d.exr"\n}\nRead {\n file P:\\\\plates\\\\b.exr\n}\n')
    compute = {
        "input": str(script),
        "parameters": {"input_conversion": "always", "remote_os": "windows"},
    }
    shares = [{"id": "v1", "code": "projects", "default": True, "paths": {"windows": "P:", "linux": "/mnt/projects"}}]
    data = write_data(tmp_path, compute, shares=shares)
    result = run_engine(NUKE, data, item="1")
    assert result.returncode == 0, result.stderr
    localized = tmp_path / "shot_accsynlocalized_hq_linux.nk"
    text = localized.read_text()
    assert '"/mnt/projects/plates/plate.%04d.exr"' in text and "/mnt/projects/plates" in text.splitlines()[4]
    assert "\\" not in text  # Windows separators never survive into a path Nuke reads on Linux
    assert json.loads((tmp_path / "argv.json").read_text())[-1] == str(localized)
    assert json.loads((tmp_path / "shot.nk.localized_metadata").read_text())["size"] == script.stat().st_size
    assert "addFilenameFilter" in (tmp_path / "accsyn_nuke_startup" / "init.py").read_text()

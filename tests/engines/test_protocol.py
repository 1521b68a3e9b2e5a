"""The engine base: protocol lines, items, accsyn-style engines, output clearing and path resolution."""

import json

import pytest

from engine_helpers import ENGINES, engine_common, run_engine, write_data

Common = engine_common().Common

STYLE = ENGINES.parent / "tests" / "engines" / "style_engine.py"


def test_accsyn_style_engine_loops_items_for_max_bucketsize_one(tmp_path):
    (tmp_path / "in.txt").write_text("x")
    data = write_data(tmp_path, {"input": str(tmp_path / "in.txt"), "parameters": {}})
    result = run_engine(STYLE, data, item="5-7")
    assert result.returncode == 0, result.stderr
    assert [line for line in result.stdout.splitlines() if line.startswith("{")] == [
        '{"taskstatus":true,"uri":"5","status":"done"}',
        '{"taskstatus":true,"uri":"6","status":"done"}',
    ]
    assert "saw item 7" in result.stdout
    assert "Accsyn PID(" in result.stdout


def test_help_and_missing_data(tmp_path):
    assert "usage:" in run_engine(STYLE, args=["--help"]).stdout
    result = run_engine(STYLE, tmp_path / "absent.json")
    assert result.returncode == 1
    assert "[WARNING] [ACCSYN] Traceback" in result.stderr


@pytest.fixture
def engine(tmp_path):
    data = write_data(tmp_path, {"input": "x", "parameters": {}})
    instance = Common(["engine.py", str(data)])
    instance.load()
    return instance


def test_normalize_path_resolves_shares_and_other_os_prefixes(engine):
    engine.data["shares"] = [
        {"id": "v1", "code": "projects", "default": True, "paths": {"windows": "P:", "linux": "/mnt/projects"}}
    ]
    engine.data["compute"]["parameters"]["mapped_share_paths"] = [{"remote": "E:\\tools", "local": "/opt/tools"}]
    assert engine.normalize_path("share=projects/a/b.nk") == "/mnt/projects/a/b.nk"
    assert engine.normalize_path("share=(default)/a") == "/mnt/projects/a"
    assert engine.normalize_path("P:\\a\\b.nk") == "/mnt/projects/a/b.nk"
    assert engine.normalize_path("E:\\tools\\gizmo.gizmo") == "/opt/tools/gizmo.gizmo"
    engine.data["client"]["config"]["sharepaths"] = [{"share": "v1", "share_hr": "projects", "path": "/local/p"}]
    assert engine.normalize_path("share=projects/a") == "/local/p/a"
    with pytest.raises(Exception, match="unknown share"):
        engine.normalize_path("share=nope/a")


def test_clear_output_moves_another_jobs_files_aside(tmp_path, engine):
    output = tmp_path / "renders"
    output.mkdir()
    (output / "old.0001.exr").write_text("previous job")
    (output / ".accsyn-compute-metadata.json").write_text(json.dumps({"id": "b" * 24}))
    engine.LOCK_WAIT_SECONDS = 0.01
    engine.data["compute"]["output"] = str(output)
    engine.data["compute"]["parameters"]["clear_output_directory"] = "true"
    engine.clear_output_directory()
    assert not (output / "old.0001.exr").exists()
    [aside] = (tmp_path / "ZZZ-TEMP" / "renders").iterdir()
    assert aside.name.endswith("_" + "a" * 24)
    assert (aside / "old.0001.exr").read_text() == "previous job"
    assert json.loads((output / ".accsyn-compute-metadata.json").read_text())["id"] == "a" * 24
    (output / "new.0001.exr").write_text("this job")
    engine.clear_output_directory()
    assert (output / "new.0001.exr").exists()


def _owned_output(tmp_path, engine, owner):
    """A ``renders`` folder holding a frame of ``owner``'s (its metadata), with clearing asked of ``engine``."""
    output = tmp_path / "renders"
    output.mkdir()
    (output / "frame.0001.exr").write_text(owner["code"])
    (output / ".accsyn-compute-metadata.json").write_text(json.dumps(owner))
    engine.LOCK_WAIT_SECONDS = 0.01
    engine.data["compute"]["output"] = str(output)
    engine.data["compute"]["parameters"]["clear_output_directory"] = "true"
    return output


def test_a_job_whose_folder_another_job_took_over_fails_saying_so_and_moves_nothing(tmp_path, engine):
    this_run = {"id": "a" * 24, "code": "job", "created": "2026-11-25T01:00:00"}
    output = _owned_output(tmp_path, engine, {"id": "b" * 24, "code": "jobB", "replaced": [this_run]})
    with pytest.raises(Exception, match=f"^The output folder {output} was taken over by job jobB \\(b{{24}}\\)"):
        engine.clear_output_directory()
    assert (output / "frame.0001.exr").read_text() == "jobB" and not (tmp_path / "ZZZ-TEMP").exists()
    engine.data["job"]["created"] = "2026-11-26T09:00:00"  # a later run of the job: it clears as asked
    engine.clear_output_directory()
    assert [path.read_text() for path in (tmp_path / "ZZZ-TEMP").rglob("frame.0001.exr")] == ["jobB"]
    metadata = json.loads((output / ".accsyn-compute-metadata.json").read_text())
    assert metadata["id"] == "a" * 24 and [entry["id"] for entry in metadata["replaced"]] == ["a" * 24, "b" * 24]


def test_clearing_waits_for_another_jobs_running_render_and_fails_naming_it(tmp_path, engine):
    import os
    import socket

    output = _owned_output(tmp_path, engine, {"id": "b" * 24, "code": "jobB"})
    mark = tmp_path / "renders.rendering other-node_1"
    mark.write_text(json.dumps({"id": "b" * 24, "code": "jobB", "host": socket.gethostname(), "pid": os.getpid()}))
    engine.OUTPUT_WAIT_SECONDS = 0.3
    with pytest.raises(Exception, match=r"is still being rendered into by job jobB .* it is not cleared under"):
        engine.clear_output_directory()
    assert (output / "frame.0001.exr").read_text() == "jobB"
    mark.write_text(json.dumps({"id": "b" * 24, "code": "jobB", "host": socket.gethostname(), "pid": 2**22 + 1}))
    engine.clear_output_directory()  # a mark its dead process left here is no render
    assert not mark.exists() and not (output / "frame.0001.exr").exists()
    assert list(tmp_path.glob("renders.rendering *")) != []  # this render's own mark, until the engine ends
    engine.end_rendering()
    assert list(tmp_path.glob("renders.rendering *")) == []


@pytest.mark.parametrize(("setting", "moved"), [("site:hq", True), ("site:sthlm", False), ("!site:sthlm", True)])
def test_clear_output_site_conditions(tmp_path, engine, setting, moved):
    output = tmp_path / "renders"
    output.mkdir()
    (output / "old.exr").write_text("x")
    engine.LOCK_WAIT_SECONDS = 0.01
    engine.data["compute"]["output"] = str(output)
    engine.data["compute"]["parameters"]["clear_output_directory"] = setting
    engine.clear_output_directory()
    assert (output / "old.exr").exists() is not moved


def test_localize_waits_for_another_nodes_lock(tmp_path, engine):
    source = tmp_path / "shot.nk"
    source.write_text("x")
    lock = tmp_path / "shot.nk.localize_lock"
    lock.write_text("another-node")
    engine.data["compute"]["parameters"] = {"input_conversion": "always"}

    import threading

    threading.Timer(0.3, lock.unlink).start()
    assert engine.take_lock(str(source), "localize") is False
    assert not lock.exists()


def test_env_composition(engine):
    engine.data["compute"]["envs"] = {"common": {"A": "1", "B": "x"}, "linux": {"B": "2"}, "windows": {"B": "3"}}
    env = engine.build_env({"ACCSYN_ITEM": "4"})
    assert (env["A"], env["B"], env["ACCSYN_ITEM"]) == ("1", "2" if engine.get_os() == "linux" else env["B"], "4")

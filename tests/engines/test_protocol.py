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

"""End to end: a layer submitted from the Maya plugin renders on the local farm through engines/maya.py,
with a stand-in ``Render`` (Maya cannot run here)."""

from __future__ import annotations

import json

from fake_executables import FAKE_RENDER, install_executable
from maya_loader import load
from maya_scene import layered_scene, write_ma

from accsyn_dcc.farm import LocalFarm
from accsyn_dcc.workspace import Engine, Volume, WorkspaceInfo


def test_a_submitted_layer_renders_its_own_frames_with_its_camera(tmp_path, monkeypatch):
    monkeypatch.setenv("ACCSYN_DCC_USER_CONFIG", str(tmp_path / "user.json"))
    monkeypatch.setenv("MAYA_RENDER_EXECUTABLE", str(install_executable(tmp_path, "Render", FAKE_RENDER)))
    monkeypatch.setenv("FAKE_RENDER_ARGV", str(tmp_path / "render.json"))
    description = layered_scene(tmp_path)
    write_ma(description)
    load(description, {})
    volumes = [Volume("projects", {"linux": str(tmp_path)})]
    from accsyn_maya import submit

    [payload] = submit(layers=["fx"], cameras=["side"], engine="maya", bucket_size=4, dry_run=True,
                       workspace=WorkspaceInfo(engines=[Engine("maya")], volumes=volumes))  # fmt: skip
    summary = LocalFarm(payload, volumes=volumes, work_dir=str(tmp_path / "work"), progress=False).run()
    assert summary.ok and summary.frames_done == list(range(20, 31))
    argv = json.loads((tmp_path / "render.json").read_text())["argv"]
    assert argv[argv.index("-rl") + 1] == "rs_fx" and argv[argv.index("-cam") + 1] == "side"
    assert argv[-1] == str(description.path)

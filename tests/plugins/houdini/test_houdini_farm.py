"""End to end: a ROP submitted from the Houdini plugin renders on the local farm through engines/houdini.py,
with a stand-in ``hython`` (Houdini cannot run here)."""

from __future__ import annotations

import json

from fake_executables import FAKE_HYTHON, install_executable
from hou_loader import load
from test_hip_reader import every_kind

from accsyn_dcc.farm import LocalFarm
from accsyn_dcc.workspace import Engine, Volume, WorkspaceInfo


def test_a_submitted_rop_renders_frame_by_frame_on_the_farm(tmp_path, monkeypatch):
    monkeypatch.setenv("ACCSYN_DCC_USER_CONFIG", str(tmp_path / "user.json"))
    monkeypatch.setenv("HOUDINI_HYTHON", str(install_executable(tmp_path, "hython", FAKE_HYTHON)))
    monkeypatch.setenv("FAKE_HOUDINI_ARGV", str(tmp_path / "houdini.json"))
    hip = every_kind(tmp_path)
    hip.write()
    load(hip)
    volumes = [Volume("projects", {"linux": str(tmp_path)})]
    from accsyn_houdini import submit

    [payload] = submit(rops=["/out/beauty"], engine="houdini", bucket_size=5, dry_run=True, allow_missing=True,
                       workspace=WorkspaceInfo(engines=[Engine("houdini")], volumes=volumes))  # fmt: skip
    summary = LocalFarm(payload, volumes=volumes, work_dir=str(tmp_path / "work"), progress=False).run()
    assert summary.ok and summary.frames_done == list(range(1, 11))
    options = json.loads(json.loads((tmp_path / "houdini.json").read_text())["argv"][-1])
    assert options["rops"] == ["/out/beauty"] and options["input"] == str(hip.path)

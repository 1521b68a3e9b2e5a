"""The Blender add-on's scripted submit to the stand-in backend, and the scene rendered here after moving."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from blend_scenes import build_everything

from accsyn_dcc.api import connect
from accsyn_dcc.config import Settings
from accsyn_dcc.credentials import Credentials
from accsyn_dcc.farm import run_local
from accsyn_dcc.paths import current_os
from accsyn_dcc.workspace import Engine, EngineSettings, Volume, WorkspaceInfo

pytestmark = pytest.mark.blender

PLUGIN = Path(__file__).resolve().parents[3] / "plugins" / "blender"


def test_scripted_submit_creates_the_job_on_the_standin(tmp_path, monkeypatch, standin):
    monkeypatch.syspath_prepend(str(PLUGIN))
    monkeypatch.setenv("ACCSYN_DCC_USER_CONFIG", str(tmp_path / "settings.json"))
    import bpy
    from accsyn_blender.scripted import submit

    files = build_everything(tmp_path / "project")
    bpy.ops.wm.open_mainfile(filepath=str(files["shot"]))
    user = standin.seed["users"][0]
    client = connect(Credentials("demo", user["code"], user["api_key"], proxy=f"127.0.0.1:{standin.port}"))
    root = str(tmp_path / "project")
    workspace = WorkspaceInfo(
        engines=[Engine("blender", settings=EngineSettings(filename_extensions=".blend", default_bucketsize=10))],
        volumes=[Volume("projects", {current_os(): root})],
    )
    [job] = submit(client=client, workspace=workspace, allow_missing=True)
    stored = client.find_job(job["id"])["compute"]
    assert stored["input"] == "share=projects/shots/everything.blend"
    assert stored["range"] == "1-3" and stored["settings"]["task_bucketsize"] == "10"
    assert "share=projects/abc" in stored["dependencies"]  # the whole sequence folder: nothing else in it
    assert not any("deform.mdd" in path for path in stored["dependencies"])  # missing: left out, said


def test_a_moved_project_renders_with_every_path_class_remapped(tmp_path):
    submitted = tmp_path / "artist" / "project"
    files = build_everything(submitted)
    settings = Settings({"workspace": {"volumes": [{"code": "projects", "paths": {current_os(): str(submitted)}}]}})
    from session_helpers import scene_payload

    payload = scene_payload(str(files["shot"]), settings, engine="blender", range_text="1", allow_missing=True,
                            output_folder=str(tmp_path / "out"))  # fmt: skip
    farm_root = tmp_path / "farm" / "project"
    shutil.move(str(submitted), str(farm_root))
    node = Settings({**settings.values, "local_share_paths": {"projects": str(farm_root)}})
    summary = run_local(payload, workers=1, settings=node, work_dir=str(tmp_path / "work"))
    assert summary.ok, summary
    log = (tmp_path / "work" / "tasks" / "1" / "task.log").read_text()
    for label, old in (("library", "lib/props.blend"), ("strip", "plates/"), ("cache_file", "abc/anim.0001.abc"),
                       ("volume", "vdb/smoke.0001.vdb"), ("font", "fonts/Titling.ttf")):  # fmt: skip
        assert f"accsyn: {label} {submitted}/{old} -> {farm_root}/{old}" in log, label
    assert "missing file" not in log  # the library's own image resolves against the library
    assert (tmp_path / "out" / "everything_0001.png").exists()

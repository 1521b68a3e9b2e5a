"""End to end, for real: a Blender scene submitted to the local farm renders every frame (bpy, Cycles CPU)."""

import json
import shutil
from pathlib import Path

import bpy
import pytest
from session_helpers import scene_payload

from accsyn_dcc.cli import main
from accsyn_dcc.config import Settings
from accsyn_dcc.demo import build_demo_project
from accsyn_dcc.farm import run_local
from accsyn_dcc.paths import current_os

pytestmark = pytest.mark.blender

STOCK = Path(__file__).parents[2] / "engines" / "stock"


def centre_colour(path):
    image = bpy.data.images.load(str(path))
    try:
        width, height = image.size
        index = ((height // 3) * width + width // 3) * 4
        return tuple(round(value, 2) for value in image.pixels[index : index + 3])
    finally:
        bpy.data.images.remove(image)


def volume_settings(root):
    return Settings({"workspace": {"volumes": [{"code": "projects", "paths": {current_os(): str(root)}}]}})


def test_submit_local_renders_every_frame(tmp_path, monkeypatch, capsys):
    project = tmp_path / "projects"
    scene = build_demo_project(str(project))
    (tmp_path / "studio.json").write_text(json.dumps(volume_settings(project).values))
    monkeypatch.setenv("ACCSYN_DCC_STUDIO_CONFIG", str(tmp_path / "studio.json"))
    monkeypatch.setenv("ACCSYN_DCC_USER_CONFIG", str(tmp_path / "user.json"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    renders = project / "renders"
    argv = ["submit", scene, "--engine", "blender", "--local", "--output", str(renders), "--bucket", "2"]
    assert main(argv) == 0
    assert "3 frame(s) done, 0 bucket(s) failed" in capsys.readouterr().out
    frames = sorted(renders.glob("beauty_*.png"))
    # the artist's file-name pattern is kept
    assert [path.name for path in frames] == ["beauty_0001.png", "beauty_0002.png", "beauty_0003.png"]
    assert all(centre_colour(path) == (0.0, 1.0, 0.0) for path in frames)


def test_moved_assets_are_found_by_remapping(tmp_path):
    submitted_root = tmp_path / "artist" / "projects"
    scene = build_demo_project(str(submitted_root))
    payload = scene_payload(
        scene, volume_settings(submitted_root), engine="blender", range_text="2", output_folder=str(tmp_path / "out")
    )
    assert payload["input"] == "share=projects/shots/demo.blend"

    farm_root = tmp_path / "farm" / "projects"
    shutil.move(str(submitted_root), str(farm_root))
    # The render node mounts the workspace's volume somewhere of its own (client.config.sharepaths).
    node = Settings({**volume_settings(submitted_root).values, "local_share_paths": {"projects": str(farm_root)}})
    summary = run_local(payload, workers=1, settings=node, work_dir=str(tmp_path / "work"))
    assert summary.ok, summary
    log = (tmp_path / "work" / "tasks" / "2" / "task.log").read_text()
    assert f"library {submitted_root}/lib/props.blend -> {farm_root}/lib/props.blend" in log
    assert f"image {submitted_root}/textures/checker.png -> {farm_root}/textures/checker.png" in log
    assert "missing file" not in log
    assert centre_colour(tmp_path / "out" / "beauty_0002.png") == (0.0, 1.0, 0.0)


def test_without_remapping_the_texture_is_missing(tmp_path):
    """The control: the same move with the farm's volume left at the old root renders Blender's pink."""
    submitted_root = tmp_path / "artist" / "projects"
    scene = build_demo_project(str(submitted_root))
    settings = volume_settings(submitted_root)
    payload = scene_payload(scene, settings, engine="blender", range_text="1", output_folder=str(tmp_path / "out"))
    payload["input"] = str(tmp_path / "moved" / "shots" / "demo.blend")
    shutil.move(str(submitted_root), str(tmp_path / "moved"))
    summary = run_local(payload, workers=1, settings=Settings({}), work_dir=str(tmp_path / "work"))
    assert summary.ok
    assert "missing file" in (tmp_path / "work" / "tasks" / "1" / "task.log").read_text()
    assert centre_colour(tmp_path / "out" / "beauty_0001.png") == (1.0, 0.0, 1.0)


def test_our_blender_engine_renders_on_a_stock_style_common(tmp_path):
    """As on a real farm: accsyn's own ``common`` (here the stock-style one) beside our published engine."""
    engines = tmp_path / "engines"
    engines.mkdir()
    shutil.copy(STOCK / "common.py", engines / "common.py")
    shutil.copy(Path(__file__).parents[3] / "engines" / "blender.py", engines / "blender.py")
    project = tmp_path / "projects"
    scene = build_demo_project(str(project))
    settings = volume_settings(project)
    payload = scene_payload(scene, settings, engine="blender", range_text="1-2", output_folder=str(tmp_path / "out"))
    summary = run_local(
        payload, workers=2, settings=settings, work_dir=str(tmp_path / "work"), engines_dir=str(engines)
    )
    assert summary.ok and summary.frames_done == [1, 2], summary
    assert sorted(path.name for path in (tmp_path / "out").glob("*.png")) == ["beauty_0001.png", "beauty_0002.png"]
    assert all(centre_colour(path) == (0.0, 1.0, 0.0) for path in (tmp_path / "out").glob("*.png"))
    log = (tmp_path / "work" / "tasks" / "1" / "task.log").read_text()
    assert "Running:" not in log  # the stock-style base ran it, not ours

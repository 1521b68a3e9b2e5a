"""``accsyn-dcc scan X.blend`` and the add-on's live scan find every file of each kind, for real (bpy 5)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from blend_scenes import add_folder_kinds, build_everything

pytestmark = pytest.mark.blender

PLUGIN = Path(__file__).resolve().parents[3] / "plugins" / "blender"


@pytest.fixture(scope="module")
def everything(tmp_path_factory):
    return add_folder_kinds(build_everything(tmp_path_factory.mktemp("everything")))


@pytest.fixture(scope="module")
def cli_scan(everything):
    completed = subprocess.run(
        [sys.executable, "-m", "accsyn_dcc", "scan", str(everything["shot"]), "--json"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(completed.stdout)


def found(scan, kind):
    return {record["path"]: record for record in scan["dependencies"] if record["kind"] == kind}


def test_every_kind_is_found_with_its_state(everything, cli_scan):
    root = everything["shot"].parents[1]
    assert found(cli_scan, "library")[str(everything["library"])]["exists"]
    assert found(cli_scan, "texture")[str(everything["library image"])]["exists"]  # linked by the library
    udim = found(cli_scan, "texture")[str(everything["udim"])]
    assert udim["exists"] and udim["tiles"] == ["1001", "1002", "1011"]
    strip_frames = sorted(Path(path).name for path in found(cli_scan, "strip image"))
    assert strip_frames == ["bg.0001.png", "bg.0002.png", "bg.0003.png"]  # only the job's frames 1-3
    assert found(cli_scan, "strip sound")[str(everything["sound"])]["exists"]
    assert found(cli_scan, "sound")[str(everything["sound"])]["exists"]
    assert found(cli_scan, "font")[str(everything["font"])]["exists"]
    alembic = found(cli_scan, "cache")[str(everything["alembic"])]
    assert (alembic["exists"], alembic["frames"], alembic["missing"]) == (True, "1-3", "")
    vdb = found(cli_scan, "volume")[str(everything["vdb"])]
    assert (vdb["exists"], vdb["frames"], vdb["missing"]) == (True, "1-3", "3")
    particles = found(cli_scan, "point cache")[str(everything["point cache"])]
    assert (particles["exists"], particles["frames"], particles["missing"]) == (True, "1-3", "")
    mesh_cache = found(cli_scan, "mesh cache")[str(everything["missing mesh cache"])]
    assert not mesh_cache["exists"] and "Modifier 'Deform'" in mesh_cache["node"]
    assert found(cli_scan, "osl script")[str(everything["osl"])]["exists"]
    assert found(cli_scan, "geometry bake")[str(everything["geometry bake"])]["exists"]
    layer, extra = cli_scan["outputs"]
    assert layer["path"] == str(root / "shots" / "render" / "everything_####") and layer["range"] == "1-3"
    assert (extra["node"], extra["path"]) == ("File Output 'File Output'", str(everything["file output"]))


def test_the_add_ons_live_scan_gives_the_same_records(everything, cli_scan, monkeypatch):
    monkeypatch.syspath_prepend(str(PLUGIN))
    import bpy
    from accsyn_blender.host import BlenderHost

    bpy.ops.wm.open_mainfile(filepath=str(everything["shot"]))
    host = BlenderHost()
    progress = []
    pending = host.collect_scan(None, lambda done, total: progress.append((done, total)), lambda: False)
    scan = pending.finish()
    live = scan.to_dict()
    assert progress[-1][0] == progress[-1][1]
    assert live["dependencies"] == cli_scan["dependencies"]
    assert live["outputs"] == cli_scan["outputs"]
    assert host.frame_range() == scan.frame_range and live["frame_range"] == cli_scan["frame_range"] == "1-3"


@pytest.mark.parametrize(
    ("start", "end", "step", "frames"), [(1, 3, 1, "1-3"), (-5, 20, 1, "0-20"), (-9, -2, 1, "0"), (10, 4, 0, "10"),
                                         (1, 10, 3, "1-10x3")],
)  # fmt: skip
def test_the_live_scene_and_a_report_of_it_give_one_range(monkeypatch, start, end, step, frames):
    """The add-on's ``frame_range`` and a ``collect`` report share one rule: frames below 0 left out, never reversed."""
    monkeypatch.syspath_prepend(str(PLUGIN))
    from types import SimpleNamespace

    from accsyn_blender.host import BlenderHost

    from accsyn_dcc.scan.blend import scan_report

    live = BlenderHost(SimpleNamespace(frame_start=start, frame_end=end, frame_step=step)).frame_range()
    facts = {"frame_start": start, "frame_end": end, "frame_step": step}
    reported = scan_report("/shots/x.blend", {"scene": facts, "references": [], "outputs": []}).frame_range
    assert live == reported and str(live) == frames


def test_cancel_stops_the_live_scan(everything, monkeypatch):
    monkeypatch.syspath_prepend(str(PLUGIN))
    from accsyn_blender.host import BlenderHost

    from accsyn_dcc.errors import ScanCancelled

    with pytest.raises(ScanCancelled):
        BlenderHost().collect_scan(None, lambda done, total: None, lambda: True)


def _with_stand_in_blender(tmp_path, monkeypatch, script: str) -> str:
    """A scene to scan with ``script`` (a shell script) standing in for Blender."""
    blender = tmp_path / "blender"
    blender.write_text("#!/bin/sh\n" + script)
    blender.chmod(0o755)
    scene = tmp_path / "shot.blend"
    scene.write_bytes(b"BLENDER")
    monkeypatch.setenv("BLENDER_EXECUTABLE", str(blender))
    return str(scene)


def test_a_blender_that_never_answers_is_stopped_with_one_line(tmp_path, monkeypatch):
    from accsyn_dcc import blender_process
    from accsyn_dcc.scan.blend import scan_file

    scene = _with_stand_in_blender(tmp_path, monkeypatch, "exec sleep 60\n")
    monkeypatch.setattr(blender_process, "BLENDER_SECONDS", 0.5)
    with pytest.raises(blender_process.BlenderError, match=r"did not read .*shot\.blend within 0\.5 s"):
        scan_file(scene)


def test_a_blender_that_crashes_on_a_damaged_scene_says_so_in_one_line(tmp_path, monkeypatch):
    """Blender dies by SIGSEGV on some damaged .blend files (a fuzz run found them), its last line a log line."""
    from accsyn_dcc.blender_process import BlenderError
    from accsyn_dcc.scan.blend import scan_file

    scene = _with_stand_in_blender(
        tmp_path, monkeypatch, "echo '00:00.258  blend  | Read blend: \"shot.blend\"'\nkill -SEGV $$\n"
    )
    with pytest.raises(BlenderError, match=r"^Blender was stopped by SIGSEGV while trying to read .*shot\.blend$"):
        scan_file(scene)


def test_scanning_a_blend_never_runs_its_scripts_even_where_blender_would(tmp_path, monkeypatch, capsys):
    import runpy

    import bpy

    ran = tmp_path / "ran"
    bpy.ops.wm.read_factory_settings(use_empty=True)
    text = bpy.data.texts.new("on_load.py")
    text.write(f"open({str(ran)!r}, 'w').write('ran')\n")
    text.use_module = True  # a registered text block: Blender runs it on load when scripts may run
    scene = tmp_path / "untrusted.blend"
    bpy.ops.wm.save_as_mainfile(filepath=str(scene))
    bpy.ops.wm.read_factory_settings(use_empty=True)
    preferences = bpy.context.preferences.filepaths
    monkeypatch.setattr(preferences, "use_scripts_auto_execute", True)  # an artist's "Auto Run Python Scripts"
    from accsyn_dcc.blender import collect

    monkeypatch.setattr(sys, "argv", ["collect.py", "--", str(scene)])
    runpy.run_path(collect.__file__, run_name="__main__")
    assert "ACCSYN_SCAN_JSON " in capsys.readouterr().out
    assert not ran.exists()


def test_a_file_the_scene_renders_and_reads_back_is_marked_written_by_its_output(tmp_path):
    """A compositor Image node reading the frames an earlier render of this scene writes."""
    from accsyn_dcc.scan.blend import scan_report

    renders = str(tmp_path / "renders" / "beauty_####.exr")
    image = {"node": "Image 'beauty'", "attribute": "filepath", "raw": "//renders/b_####.exr", "path": renders}
    report = {
        "scene": {"name": "Scene", "frame_start": 1, "frame_end": 2, "fps": 24},
        "references": [dict(image, kind="texture")],
        "outputs": [{"node": "ViewLayer", "path": renders, "range": "1-2"}],
    }
    [read_back] = scan_report(str(tmp_path / "shot.blend"), report).dependencies
    assert (read_back.written_by, read_back.exists) == ("ViewLayer", False)


def _tree(root: Path) -> dict:
    """Every folder and file under ``root`` with its bytes (None for a folder)."""
    return {str(path.relative_to(root)): None if path.is_dir() else path.read_bytes() for path in root.rglob("*")}


def test_scanning_a_blend_leaves_the_users_home_as_it_was(everything, tmp_path):
    """Blender makes its thumbnail folders at every start (``~/.cache/thumbnails``); a scan must not, there."""
    home = tmp_path / "home"
    (home / ".config").mkdir(parents=True)
    (home / ".config" / "settings.ini").write_text("mine")
    before = _tree(home)
    environ = {key: value for key, value in os.environ.items() if key != "XDG_CACHE_HOME"}
    subprocess.run([sys.executable, "-m", "accsyn_dcc", "scan", str(everything["shot"]), "--json"],
                   env={**environ, "HOME": str(home)}, capture_output=True, check=True)  # fmt: skip
    assert _tree(home) == before

"""Forms found on real public .blend files, made here with real ``bpy``: no false blocker, every output."""

from __future__ import annotations

import glob
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from types import SimpleNamespace

import pytest

from accsyn_dcc.paths import current_os
from accsyn_dcc.preflight import BLOCKER, check_dependencies
from accsyn_dcc.scan.blend import scan_report
from accsyn_dcc.sending import SendRule
from accsyn_dcc.transfer import plan_transfer
from accsyn_dcc.workspace import Engine, EngineSettings, Volume, WorkspaceInfo

pytestmark = pytest.mark.blender

PLUGIN = Path(__file__).resolve().parents[3] / "plugins" / "blender"


@pytest.fixture
def collect():
    from accsyn_dcc.blender import collect

    return collect


def new_scene(path: Path):
    import bpy

    bpy.ops.wm.read_factory_settings(use_empty=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    bpy.ops.wm.save_as_mainfile(filepath=str(path))
    return bpy


def rule(scan) -> SendRule:
    """The submit's rule: the scene's project on a share, nothing else."""
    project = str(Path(scan.scene).parents[1])
    return SendRule(lambda path: path.startswith(project), os.path.dirname(scan.scene))


def blockers(scan):
    return [finding.message for finding in check_dependencies(scan, False, rule(scan)) if finding.severity == BLOCKER]


def test_a_geometry_nodes_modifier_reads_its_bake_folder_only_when_its_tree_bakes(tmp_path, collect):
    bpy = new_scene(tmp_path / "shots" / "gn.blend")
    ob = bpy.data.objects.new("Grass", bpy.data.meshes.new("Grass"))
    bpy.context.scene.collection.objects.link(ob)
    plain = bpy.data.node_groups.new("Scatter", "GeometryNodeTree")
    baking = bpy.data.node_groups.new("Sim", "GeometryNodeTree")
    baking.nodes.new("GeometryNodeBake")
    for name, tree in (("Scatter", plain), ("Sim", baking)):
        modifier = ob.modifiers.new(name, "NODES")
        modifier.node_group = tree
        modifier.bake_directory = f"//bakes/{name}"  # Blender's default folder, set on every modifier
        modifier.bake_target = "DISK"
    bpy.context.view_layer.update()
    (tmp_path / "shots" / "bakes" / "Sim").mkdir(parents=True)
    scan = scan_report(bpy.data.filepath, collect.collect())
    bakes = [(dep.node, dep.path, dep.exists) for dep in scan.dependencies if dep.kind == "geometry bake"]
    assert bakes == [("Object 'Grass' > Modifier 'Sim'", str(tmp_path / "shots" / "bakes" / "Sim"), True)]
    assert blockers(scan) == []


class _Data:
    """``bpy.data`` with stand-in objects: the bpy module's mantaflow aborts as soon as a fluid domain is made."""

    def __init__(self, data, objects):
        self._data, self.objects = data, objects

    def __getattr__(self, name):
        return getattr(self._data, name)


def _domain(cache_directory: str):
    settings = SimpleNamespace(cache_directory=cache_directory)
    modifier = SimpleNamespace(name="Fluid", type="FLUID", fluid_type="DOMAIN", domain_settings=settings)
    return SimpleNamespace(name="Smoke", library=None, modifiers=[modifier], particle_systems=[])


def test_blenders_default_temporary_fluid_cache_is_a_note_not_a_missing_file(tmp_path, collect, monkeypatch):
    bpy = new_scene(tmp_path / "shots" / "smoke.blend")
    default = os.path.join(tempfile.gettempdir(), "cache_fluid_5a1e0c3b")  # what opening a 2.7x smoke scene sets
    objects = [_domain(default), _domain("//cache/fluid")]
    monkeypatch.setattr(collect, "bpy", SimpleNamespace(**{name: getattr(bpy, name) for name in
                                                           ("app", "context", "path", "utils")},
                                                        data=_Data(bpy.data, objects)))  # fmt: skip
    scan = scan_report(bpy.data.filepath, collect.collect(bpy.context.scene))
    temporary, own = [dep for dep in scan.dependencies if dep.kind == "fluid cache"]
    assert (temporary.path, temporary.conditional, temporary.exists) == (default, True, False)
    assert "default temporary cache folder" in temporary.condition
    assert (own.conditional, own.exists) == (False, False)  # a folder the artist chose is still needed
    assert blockers(scan) == [f"Object 'Smoke' > Modifier 'Fluid'.cache_directory: {own.path} is missing."]


def test_blenders_bundled_assets_are_provided_by_the_render_nodes_blender(tmp_path, collect):
    bpy = new_scene(tmp_path / "shots" / "sculpt.blend")
    [brushes] = glob.glob(os.path.join(bpy.utils.resource_path("LOCAL"), "datafiles", "assets", "brushes",
                                       "essentials_brushes-mesh_sculpt.blend"))  # fmt: skip
    with bpy.data.libraries.load(brushes, link=True) as (source, target):
        target.brushes = source.brushes[:1]
    scan = scan_report(bpy.data.filepath, collect.collect())
    [library] = [dep for dep in scan.dependencies if dep.kind == "library"]
    assert (library.path, library.provided_by, library.exists) == (brushes, "Blender", True)
    assert "(provided by the render node's Blender)" in library.notes
    assert scan.missing == [] and plan_transfer(scan.dependencies).paths == ()
    assert check_dependencies(scan, False, rule(scan)) == []


def test_an_install_of_another_version_is_bundled_too(collect):
    import bpy

    collector = collect._Collector(bpy.context.scene, None, None)
    assert collector.bundled("/Applications/Blender.app/Contents/Resources/4.3/datafiles/assets/brushes/"
                             "essentials_brushes-mesh_sculpt.blend")  # fmt: skip
    assert not collector.bundled("/projects/assets/brushes/essentials_brushes-mesh_sculpt.blend")


@pytest.fixture
def sequence_shot(tmp_path):
    """A scene of frames 1-10 whose texture sequence has frames 1-6 on disk, rendering to ``//../renders``."""
    bpy = new_scene(tmp_path / "project" / "shots" / "shot.blend")
    plates = tmp_path / "project" / "plates"
    plates.mkdir(parents=True)
    for frame in range(1, 7):
        image = bpy.data.images.new(f"p{frame}", 2, 2)
        image.filepath_raw = str(plates / f"plate.{frame:04d}.png")
        image.file_format = "PNG"
        image.save()
        bpy.data.images.remove(image)
    image = bpy.data.images.load(str(plates / "plate.0001.png"))
    image.source = "SEQUENCE"
    material = bpy.data.materials.new("Plate")
    material.node_tree.nodes.new("ShaderNodeTexImage").image = image
    scene = bpy.context.scene
    scene.frame_start, scene.frame_end = 1, 10
    scene.render.filepath = "//../renders/beauty_####"
    bpy.ops.wm.save_mainfile()
    return tmp_path / "project"


def test_the_jobs_range_decides_the_frames_a_scan_checks(sequence_shot):
    completed = subprocess.run(
        [sys.executable, "-m", "accsyn_dcc", "scan", str(sequence_shot / "shots" / "shot.blend"), "--range", "1-6",
         "--json"], capture_output=True, text=True, check=True,
    )  # fmt: skip
    [texture] = [dep for dep in json.loads(completed.stdout)["dependencies"] if dep["kind"] == "texture"]
    assert (texture["frames"], texture["missing"]) == ("1-6", "")


def test_a_scripted_submit_checks_the_jobs_range_and_maps_a_normal_output_path(sequence_shot, monkeypatch):
    monkeypatch.syspath_prepend(str(PLUGIN))
    from accsyn_blender.scripted import submit

    workspace = WorkspaceInfo(engines=[Engine("blender", settings=EngineSettings(filename_extensions=".blend"))],
                              volumes=[Volume("projects", {current_os(): str(sequence_shot)})])  # fmt: skip
    [payload] = submit(range="1-6", dry_run=True, workspace=workspace)
    assert (payload["output"], payload["range"]) == ("share=projects/renders", "1-6")  # not shots/../renders
    assert payload["dependencies"] == ["share=projects/plates"]  # frames 1-6: all the folder holds, none missing


def test_an_output_path_climbing_out_of_the_scenes_folder_is_made_normal(sequence_shot, collect):
    [layer] = collect.collect()["outputs"]
    assert layer["path"] == str(sequence_shot / "renders" / "beauty_####")

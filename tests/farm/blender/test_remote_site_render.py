"""Proof by rendering: a remote site that holds only what the job sends renders the frame the submitter's own
folders render, pixel for pixel; the same job with one dependency left out renders differently (bpy, Cycles)."""

import struct
from pathlib import Path

import bpy
import pytest
from blend_scenes import write_png
from session_helpers import scene_payload

from accsyn_dcc.config import Settings
from accsyn_dcc.demo import build_demo_project
from accsyn_dcc.farm import run_local
from accsyn_dcc.farm.compare import read_pixels, same_pixels
from accsyn_dcc.paths import current_os

pytestmark = pytest.mark.blender



def _pc2(path: Path, frames: int, points) -> None:
    """A point cache (PC2) that holds ``points`` at every frame."""
    path.parent.mkdir(parents=True, exist_ok=True)
    header = b"POINTCACHE2\0" + struct.pack("<iiffi", 1, len(points), 1.0, 1.0, frames)
    body = b"".join(struct.pack("<fff", *point) for _ in range(frames) for point in points)
    path.write_bytes(header + body)


def _emitting(name, obj, image=None):
    material = bpy.data.materials.new(name)
    material.use_nodes = True
    nodes = material.node_tree.nodes
    emission = nodes.new("ShaderNodeEmission")
    if image is not None:
        texture = nodes.new("ShaderNodeTexImage")
        texture.image = image
        texture.image_user.frame_duration = 3
        texture.image_user.use_auto_refresh = True
        material.node_tree.links.new(texture.outputs["Color"], emission.inputs["Color"])
    material.node_tree.links.new(emission.outputs["Emission"], nodes["Material Output"].inputs["Surface"])
    obj.data.materials.append(material)


def build_scene(root: Path) -> str:
    """The demo shot (a texture, a linked library) with an image sequence and a mesh cache added."""
    shot = build_demo_project(str(root))
    for frame, rgb in enumerate([(1, 0, 0), (0, 0, 1), (1, 1, 0)], 1):
        write_png(root / "seq" / f"tint_{frame:04d}.png", rgb)
    _pc2(root / "cache" / "quad.pc2", 3, [(-0.9, -0.7, 0.1), (-0.3, -0.7, 0.1), (-0.9, -0.1, 0.1), (-0.3, -0.1, 0.1)])
    bpy.ops.wm.open_mainfile(filepath=shot)
    bpy.ops.mesh.primitive_plane_add(size=0.5, location=(0.5, 0.4, 0.1))
    image = bpy.data.images.load(str(root / "seq" / "tint_0001.png"))
    image.source = "SEQUENCE"
    _emitting("Tint", bpy.context.active_object, image)
    bpy.ops.mesh.primitive_plane_add(size=0.2, location=(0.6, -0.6, 0.1))
    cached = bpy.context.active_object
    _emitting("Cached", cached)
    modifier = cached.modifiers.new("Cache", "MESH_CACHE")
    modifier.cache_format = "PC2"
    modifier.filepath = str(root / "cache" / "quad.pc2")
    bpy.ops.wm.save_as_mainfile(filepath=shot, relative_remap=False)
    return shot


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = tmp_path_factory.mktemp("submitter") / "projects"
    shot = build_scene(root)
    settings = Settings({"workspace": {"volumes": [{"code": "projects", "paths": {current_os(): str(root)}}]}})
    in_place = root.parent / "in_place"
    payload = scene_payload(shot, settings, engine="blender", range_text="2", output_folder=str(in_place))
    summary = run_local(payload, workers=1, settings=settings, work_dir=str(root.parent / "work-in-place"))
    assert summary.ok, summary
    return root, settings, payload, read_pixels([str(in_place / "beauty_0002.png")])[0]


def remote_render(project, tmp_path, payload):
    """The frame the remote site renders, brought back; None when it could not render it."""
    root, settings, _payload, _reference = project
    remote = dict(payload, filters="site:remote", output=f"share=projects/remote/{tmp_path.name}")
    summary = run_local(remote, workers=1, settings=settings, sites=[f"remote={tmp_path / 'remote'}"],
                        work_dir=str(tmp_path / "work"))  # fmt: skip
    assert {task.site for task in summary.tasks} == {"remote"}
    return read_pixels([str(root / "remote" / tmp_path.name / "beauty_0002.png")])[0] if summary.ok else None


def test_the_job_sends_every_kind_of_dependency(project):
    _root, _settings, payload, _reference = project
    sent = " ".join(payload["dependencies"])
    for part in ("textures/checker.png", "lib/props.blend", "projects/seq", "cache/quad.pc2"):
        assert part in sent, (part, payload["dependencies"])


def test_a_remote_site_renders_the_in_place_frame_pixel_for_pixel(project, tmp_path):
    _root, _settings, payload, reference = project
    rendered = remote_render(project, tmp_path, payload)
    assert rendered is not None and same_pixels(rendered, reference)
    held = sorted(path.name for path in (tmp_path / "remote").rglob("*") if path.is_file())
    assert "demo.blend" in held and "quad.pc2" in held and "beauty_0002.png" in held


@pytest.mark.parametrize("left_out", ["textures/checker.png", "projects/seq", "cache/quad.pc2", "lib/props.blend"])
def test_with_one_dependency_left_out_the_remote_frame_differs(project, tmp_path, left_out):
    _root, _settings, payload, reference = project
    dependencies = [path for path in payload["dependencies"] if left_out not in path]
    assert len(dependencies) < len(payload["dependencies"])
    rendered = remote_render(project, tmp_path, dict(payload, dependencies=dependencies))
    assert rendered is None or not same_pixels(rendered, reference)

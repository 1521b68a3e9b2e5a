"""Blender (real ``bpy``, the .blend saved): the add-on's dialog, ``accsyn_blender.submit`` and the command line on
the saved scene give identical payloads, dry run and sent."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, Iterator, List

import pytest
from parity import Payload, Studio, assert_identical, cli_payloads, scripted_payloads


@pytest.fixture
def scene(studio: Studio) -> Iterator[Path]:
    """Frames 1-4 of a camera and a mesh whose material reads a texture on the share, rendered beside the scene."""
    import bpy

    bpy.ops.wm.read_factory_settings(use_empty=True)
    texture = studio.root / "textures" / "wood.png"
    texture.parent.mkdir(parents=True)
    image = bpy.data.images.new("wood", 4, 4)
    image.filepath_raw, image.file_format = str(texture), "PNG"
    image.save()
    material = bpy.data.materials.new("wood")
    material.node_tree.nodes.new("ShaderNodeTexImage").image = image
    mesh = bpy.data.meshes.new("plank")
    mesh.materials.append(material)
    scene = bpy.context.scene
    scene.collection.objects.link(bpy.data.objects.new("plank", mesh))
    camera = bpy.data.objects.new("camera", bpy.data.cameras.new("camera"))
    scene.collection.objects.link(camera)
    scene.camera = camera
    scene.frame_start, scene.frame_end = 1, 4
    scene.render.filepath = "//render/shot_"
    path = studio.root / "shots" / "shot.blend"
    path.parent.mkdir()
    bpy.ops.wm.save_as_mainfile(filepath=str(path))
    yield path
    bpy.ops.wm.read_factory_settings(use_empty=True)


def dialog_choices() -> Dict[str, Any]:
    """What the scan operator does before the dialog opens (its invoke and modal need a window): a session on the
    scene, scanned and prepared; then the dialog's properties as its invoke sets them from ``initial_choices``."""
    import threading

    import bpy
    from accsyn_blender import ui
    from accsyn_blender.host import BlenderHost

    from accsyn_dcc.session import SubmitSession

    session = SubmitSession(BlenderHost(bpy.context.scene))
    ui._state.clear()
    ui._state.update(session=session, pending=session.collect_scan(None, lambda done, total: None))
    ui._prepare(threading.Event())
    initial = ui._starting()
    return {"engine": initial.engine, "frames": initial.range_text, "queue": initial.queue,
            "bucket_size": max(initial.bucket_size, 1), "filters": initial.filters}  # fmt: skip


def dialog_payloads(studio: Studio, tmp_path: Path) -> Dict[str, List[Payload]]:
    """The add-on's dialog operator: its exported payload with no credentials, then its Submit with them."""
    import json

    import bpy
    from accsyn_blender import ui

    from accsyn_dcc.api import connect

    bpy.utils.register_class(ui.ACCSYN_OT_submit_dialog)
    try:
        exported = tmp_path / "exported.json"
        assert bpy.ops.accsyn.submit_dialog(export_path=str(exported), **dialog_choices()) == {"FINISHED"}
        studio.online()
        assert bpy.ops.accsyn.submit_dialog(**dialog_choices()) == {"FINISHED"}
        sent = studio.stored(connect(studio.credentials).find_jobs())  # the earlier jobs are aborted
        studio.offline()
    finally:
        bpy.utils.unregister_class(ui.ACCSYN_OT_submit_dialog)
        ui._state.clear()
    return {"dialog export": json.loads(exported.read_text()), "dialog sent": sent}


def test_every_entry_point_gives_the_same_blender_payload(
    studio: Studio, scene: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from accsyn_blender import submit

    payloads = scripted_payloads(studio, submit)
    payloads.update(dialog_payloads(studio, tmp_path))
    payloads.update(cli_payloads(studio, scene, capsys))
    assert_identical(payloads)
    assert payloads["scripted dry run"][0]["dependencies"] == ["share=projects/textures/wood.png"]

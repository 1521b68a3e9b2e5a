"""Scenes made with real ``bpy`` holding every kind of file a render reads (the Blender scanner's fixtures)."""

from __future__ import annotations

import os
import shutil
import struct
import wave
from pathlib import Path
from typing import Dict

import bpy
from font_files import make_font


def write_png(path: Path, rgb=(0.2, 0.4, 0.6)) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    image = bpy.data.images.new(path.stem, 4, 4)
    image.pixels = [*rgb, 1.0] * 16
    image.filepath_raw = str(path)
    image.file_format = "PNG"
    image.save()
    bpy.data.images.remove(image)


def _wav(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as sound:
        sound.setnchannels(1)
        sound.setsampwidth(2)
        sound.setframerate(8000)
        sound.writeframes(b"".join(struct.pack("<h", 0) for _ in range(800)))


def build_everything(root: Path) -> Dict[str, Path]:
    """A project under ``root`` and its shot ``shots/everything.blend`` (frames 1-3); returns the files by kind."""
    files: Dict[str, Path] = {}
    bpy.ops.wm.read_factory_settings(use_empty=True)
    # A library that itself links an image, relative to the library's own folder.
    write_png(root / "lib" / "textures" / "prop_wood.png")
    bpy.ops.mesh.primitive_cube_add()
    prop = bpy.context.active_object
    prop.name = "Prop"
    material = bpy.data.materials.new("PropWood")
    node = material.node_tree.nodes.new("ShaderNodeTexImage")
    node.image = bpy.data.images.load(str(root / "lib" / "textures" / "prop_wood.png"))
    node.image.filepath = "//textures/prop_wood.png"
    prop.data.materials.append(material)
    (root / "lib").mkdir(parents=True, exist_ok=True)
    bpy.ops.wm.save_as_mainfile(filepath=str(root / "lib" / "props.blend"), relative_remap=False)
    files["library"] = root / "lib" / "props.blend"
    files["library image"] = root / "lib" / "textures" / "prop_wood.png"

    bpy.ops.wm.read_factory_settings(use_empty=True)
    import addon_utils

    addon_utils.enable("cycles", default_set=True)
    scene = bpy.context.scene
    scene.frame_start, scene.frame_end = 1, 3
    scene.render.filepath = "//render/everything_####"
    scene.render.engine = "CYCLES"
    scene.cycles.device, scene.cycles.samples = "CPU", 1
    scene.render.resolution_x, scene.render.resolution_y = 32, 24
    scene.render.image_settings.file_format = "PNG"
    shot = root / "shots" / "everything.blend"
    shot.parent.mkdir(parents=True, exist_ok=True)
    bpy.ops.wm.save_as_mainfile(filepath=str(shot))  # saved early: relative paths and caches need its folder

    with bpy.data.libraries.load(str(files["library"]), link=True) as (_source, target):
        target.objects = ["Prop"]
    for linked in target.objects:
        scene.collection.objects.link(linked)

    for tile in ("1001", "1002", "1011"):
        write_png(root / "textures" / f"wood.{tile}.png")
    udim = bpy.data.images.load(str(root / "textures" / "wood.1001.png"))
    udim.source = "TILED"
    udim.use_fake_user = True
    files["udim"] = root / "textures" / "wood.<UDIM>.png"

    for frame in range(1, 6):
        write_png(root / "plates" / f"bg.{frame:04d}.png")
    editor = scene.sequence_editor_create()
    strip = editor.strips.new_image("Plate", str(root / "plates" / "bg.0001.png"), 1, 1)
    for frame in range(2, 6):
        strip.elements.append(f"bg.{frame:04d}.png")
    files["strip frames"] = root / "plates"

    _wav(root / "audio" / "dialogue.wav")
    editor.strips.new_sound("Dialogue", str(root / "audio" / "dialogue.wav"), 2, 1)
    files["sound"] = root / "audio" / "dialogue.wav"

    make_font(root / "fonts" / "Titling.ttf")
    curve = bpy.data.curves.new("Title", "FONT")
    curve.font = bpy.data.fonts.load(str(root / "fonts" / "Titling.ttf"))
    scene.collection.objects.link(bpy.data.objects.new("Title", curve))
    files["font"] = root / "fonts" / "Titling.ttf"

    bpy.ops.mesh.primitive_cube_add()
    abc = root / "abc"
    abc.mkdir(parents=True, exist_ok=True)
    bpy.ops.wm.alembic_export(filepath=str(abc / "anim.0001.abc"), start=1, end=1)
    for frame in (2, 3):
        shutil.copy(abc / "anim.0001.abc", abc / f"anim.{frame:04d}.abc")
    bpy.ops.cachefile.open(filepath=str(abc / "anim.0001.abc"))
    cache = bpy.data.cache_files[-1]
    cache.is_sequence = True
    reader = bpy.context.active_object.modifiers.new("Anim", "MESH_SEQUENCE_CACHE")
    reader.cache_file = cache
    files["alembic"] = abc / "anim.####.abc"

    vdb = root / "vdb"
    vdb.mkdir(parents=True, exist_ok=True)
    for frame in (1, 2):  # frame 3 is missing on purpose
        (vdb / f"smoke.{frame:04d}.vdb").write_bytes(b"not a real grid")
    volume = bpy.data.volumes.new("Smoke")
    volume.filepath = str(vdb / "smoke.0001.vdb")
    volume.is_sequence = True
    volume.frame_duration = 3
    volume.frame_start = 1
    scene.collection.objects.link(bpy.data.objects.new("Smoke", volume))
    files["vdb"] = vdb / "smoke.####.vdb"

    bpy.ops.mesh.primitive_plane_add()
    emitter = bpy.context.active_object
    emitter.name = "Emitter"
    emitter.modifiers.new("Sparks", "PARTICLE_SYSTEM")
    cache_settings = emitter.particle_systems[0].point_cache
    cache_settings.use_disk_cache = True
    cache_settings.frame_end = 3
    bpy.ops.wm.save_mainfile()
    with bpy.context.temp_override(point_cache=cache_settings):
        bpy.ops.ptcache.bake(bake=True)
    files["point cache"] = root / "shots" / "blendcache_everything" / f"{b'Emitter'.hex().upper()}_######_00.bphys"

    emitter.modifiers.new("Deform", "MESH_CACHE").filepath = "//caches/deform.mdd"  # missing on purpose

    files["missing mesh cache"] = root / "shots" / "caches" / "deform.mdd"
    os.environ.pop("OCIO", None)
    bpy.ops.wm.save_mainfile()
    files["shot"] = shot
    return files


def add_folder_kinds(files: Dict[str, Path]) -> Dict[str, Path]:
    """Open the shot and add an OSL script, a geometry-nodes bake folder and a File Output node (kept out of
    ``build_everything``, which is also rendered: the bpy module cannot compile OSL). No fluid domain: the
    bpy module's mantaflow aborts the process as soon as one is made."""
    root = files["shot"].parents[1]
    bpy.ops.wm.open_mainfile(filepath=str(files["shot"]))
    scene = bpy.context.scene
    scene.render.engine = "BLENDER_WORKBENCH"  # Cycles would try to compile the OSL script

    (root / "shaders").mkdir(parents=True, exist_ok=True)
    (root / "shaders" / "toon.osl").write_text("shader toon(output closure color c = 0) {}\n")
    material = bpy.data.materials.new("Toon")
    script = material.node_tree.nodes.new("ShaderNodeScript")
    script.mode = "EXTERNAL"
    script.filepath = str(root / "shaders" / "toon.osl")
    bpy.data.objects["Emitter"].data.materials.append(material)
    files["osl"] = root / "shaders" / "toon.osl"

    (root / "bakes" / "gn").mkdir(parents=True, exist_ok=True)
    scatter = bpy.data.objects["Emitter"].modifiers.new("Scatter", "NODES")
    scatter.node_group = bpy.data.node_groups.new("Scatter", "GeometryNodeTree")
    scatter.node_group.nodes.new("GeometryNodeBake")  # a modifier reads its bake folder only when its tree bakes
    scatter.bake_directory, scatter.bake_target = str(root / "bakes" / "gn"), "DISK"
    bpy.context.view_layer.update()
    files["geometry bake"] = root / "bakes" / "gn"

    tree = bpy.data.node_groups.new("Compositing", "CompositorNodeTree")
    scene.compositing_node_group = tree
    file_output = tree.nodes.new("CompositorNodeOutputFile")
    file_output.directory = "//render/extra/"
    file_output.file_name = "matte_"
    files["file output"] = root / "shots" / "render" / "extra" / "matte_####"
    scene.render.engine = "CYCLES"
    bpy.ops.wm.save_mainfile()
    return files

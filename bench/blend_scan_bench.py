"""The add-on's scan of a big Blender scene, against a plain ``bpy.utils.blend_paths`` pass, in one process.

    python bench/blend_scan_bench.py OUT [--images 1000] [--libraries 10] [--runs 5]

The scene holds ``--images`` image textures (one file each, 1 in 50 missing) in 20 folders and links
``--libraries`` libraries that each link an image of their own. Baseline: ``bpy.utils.blend_paths
(absolute=True)`` and one ``os.path.exists`` per path, the simplest complete check. Measured: the
add-on's ``collect`` (every kind of reference, with node names and frames) and the core's check
against disk (one listing per folder). Both run on the same open scene, alternately, median of runs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import bpy

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plugins" / "blender"))


def build(root: Path, images: int, libraries: int) -> Path:
    bpy.ops.wm.read_factory_settings(use_empty=True)
    pixel = bpy.data.images.new("pixel", 1, 1)
    for index in range(libraries):
        folder = root / f"lib{index}"
        (folder / "tex").mkdir(parents=True, exist_ok=True)
        pixel.filepath_raw = str(folder / "tex" / "own.png")
        pixel.file_format = "PNG"
        pixel.save()
    for index in range(images):
        folder = root / "tex" / f"set{index % 20:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        if index % 50 != 7:
            pixel.filepath_raw = str(folder / f"img{index:04d}.png")
            pixel.save()
    bpy.data.images.remove(pixel)
    for index in range(libraries):
        bpy.ops.wm.read_factory_settings(use_empty=True)
        material = bpy.data.materials.new(f"LibMaterial{index}")
        material.use_fake_user = True
        image = bpy.data.images.load(str(root / f"lib{index}" / "tex" / "own.png"), check_existing=False)
        image.filepath = "//tex/own.png"
        node = material.node_tree.nodes.new("ShaderNodeTexImage")
        node.image = image
        bpy.ops.wm.save_as_mainfile(filepath=str(root / f"lib{index}" / "lib.blend"))
    bpy.ops.wm.read_factory_settings(use_empty=True)
    material = bpy.data.materials.new("Many")
    material.use_fake_user = True
    for index in range(images):
        image = bpy.data.images.new(f"img{index:04d}", 1, 1)
        image.source = "FILE"
        image.filepath = str(root / "tex" / f"set{index % 20:02d}" / f"img{index:04d}.png")
        material.node_tree.nodes.new("ShaderNodeTexImage").image = image
    for index in range(libraries):
        with bpy.data.libraries.load(str(root / f"lib{index}" / "lib.blend"), link=True) as (_source, target):
            target.materials = [f"LibMaterial{index}"]
        mesh = bpy.data.meshes.new(f"uses_lib{index}")
        mesh.materials.append(target.materials[0])
        bpy.context.scene.collection.objects.link(bpy.data.objects.new(f"uses_lib{index}", mesh))
    shot = root / "shot.blend"
    bpy.ops.wm.save_as_mainfile(filepath=str(shot))
    return shot


def baseline() -> tuple:
    paths = bpy.utils.blend_paths(absolute=True)
    return len(paths), sum(not os.path.exists(path) for path in paths)


def addon_scan(shot: Path) -> tuple:
    from accsyn_dcc.blender import collect
    from accsyn_dcc.scan.blend import scan_report

    result = scan_report(str(shot), collect.collect(bpy.context.scene))
    return len(result.dependencies), len(result.missing)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--images", type=int, default=1000)
    parser.add_argument("--libraries", type=int, default=10)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    shot = build(Path(args.out).resolve(), args.images, args.libraries)
    bpy.ops.wm.open_mainfile(filepath=str(shot))
    times = {"baseline": [], "addon": []}  # type: dict
    counts = {}
    for _ in range(args.runs + 1):  # the first round warms the disk cache and is not counted
        for name, run in (("baseline", baseline), ("addon", lambda: addon_scan(shot))):
            started = time.perf_counter()
            counts[name] = run()
            times[name].append(time.perf_counter() - started)
    base, ours = statistics.median(times["baseline"][1:]), statistics.median(times["addon"][1:])
    print(f"{args.images} image textures, {args.libraries} linked libraries; median of {args.runs} runs:")
    found, missing = counts["baseline"]
    print(f"  blend_paths + os.path.exists (baseline): {base * 1000:.1f} ms, {found} paths, {missing} missing")
    found, missing = counts["addon"]
    print(f"  add-on scan (collect + one listing per folder): {ours * 1000:.1f} ms, {found} files, {missing} missing")
    print(f"  ratio add-on / baseline: {ours / base:.2f}")


if __name__ == "__main__":
    main()

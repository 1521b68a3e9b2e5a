"""``accsyn-dcc scan`` of many small .blend files (a shot tree), against the Blender Asset Tracer's ``bat list``.

    python bench/blend_many_bench.py OUT [--scenes 20] [--textures 5] [--runs 5]

Makes ``--scenes`` real scenes with ``bpy``, each reading ``--textures`` image files of its own and linking
one of three libraries (each reading an image of its own). Measured, per file, median of runs (a first round
warms the disk cache and is not counted): ``accsyn-dcc scan`` of all the files in one command (one Blender
reads them all), ``accsyn-dcc scan`` of each file in a command of its own (one Blender per file, as every
scan was before), and ``bat list FILE`` for each file (BAT lists one file a command; it parses the .blend
format itself, no Blender). Needs the ``blender-asset-tracer`` package (``pip install blender-asset-tracer``).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable, Dict, List

LIBRARIES = 3


def _png(bpy, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    image = bpy.data.images.new(path.stem, 2, 2)
    image.filepath_raw = str(path)
    image.file_format = "PNG"
    image.save()
    bpy.data.images.remove(image)


def _textured(bpy, name: str, textures: List[Path]) -> None:
    """A material ``name`` (kept by a fake user) with an image texture node per file."""
    material = bpy.data.materials.new(name)
    material.use_fake_user = True
    for texture in textures:
        _png(bpy, texture)
        image = bpy.data.images.load(str(texture), check_existing=False)
        material.node_tree.nodes.new("ShaderNodeTexImage").image = image


def build(root: Path, scenes: int, textures: int) -> List[Path]:
    """The scenes ``shots/shot_NNN.blend`` under ``root``, each linking ``lib/libN.blend``; returns their paths."""
    import bpy

    for index in range(LIBRARIES):
        bpy.ops.wm.read_factory_settings(use_empty=True)
        _textured(bpy, f"Lib{index}", [root / "lib" / f"tex{index}" / "own.png"])
        bpy.ops.wm.save_as_mainfile(filepath=str(root / "lib" / f"lib{index}.blend"))
    (root / "shots").mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(scenes):
        bpy.ops.wm.read_factory_settings(use_empty=True)
        own = [root / "tex" / f"shot_{index:03d}" / f"t{number}.png" for number in range(textures)]
        _textured(bpy, f"Shot{index}", own)
        library = index % LIBRARIES
        with bpy.data.libraries.load(str(root / "lib" / f"lib{library}.blend"), link=True) as (_source, target):
            target.materials = [f"Lib{library}"]
        mesh = bpy.data.meshes.new("uses_lib")
        mesh.materials.append(target.materials[0])
        bpy.context.scene.collection.objects.link(bpy.data.objects.new("uses_lib", mesh))
        path = root / "shots" / f"shot_{index:03d}.blend"
        bpy.ops.wm.save_as_mainfile(filepath=str(path))
        paths.append(path)
    bpy.ops.wm.read_factory_settings(use_empty=True)
    return paths


def _run(command: List[str]) -> str:
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def scan_all(files: List[Path]) -> List[int]:
    """Files each scene needs, by one ``accsyn-dcc scan`` of them all."""
    documents = json.loads(_run([sys.executable, "-m", "accsyn_dcc", "scan", *map(str, files), "--json"]))
    return [len(document["dependencies"]) for document in documents]


def scan_each(files: List[Path]) -> List[int]:
    """Files each scene needs, by one ``accsyn-dcc scan`` a scene."""
    return [len(json.loads(_run([sys.executable, "-m", "accsyn_dcc", "scan", str(file), "--json"]))["dependencies"])
            for file in files]  # fmt: skip


def bat_each(files: List[Path]) -> List[int]:
    """Files each scene needs, by one ``bat list`` a scene (lines naming a file, the scene's own line not counted)."""
    bat = shutil.which("bat", path=os.path.dirname(sys.executable)) or shutil.which("bat")
    if bat is None:
        raise SystemExit("bat not found: pip install blender-asset-tracer")
    return [len(_run([bat, "list", str(file)]).splitlines()) - 1 for file in files]


def measure(files: List[Path], runs: int) -> Dict[str, tuple]:
    """Per way: (median seconds per file, files found per scene)."""
    ways: Dict[str, Callable[[List[Path]], List[int]]] = {"all": scan_all, "each": scan_each, "bat": bat_each}
    times: Dict[str, List[float]] = {name: [] for name in ways}
    found: Dict[str, List[int]] = {}
    for _ in range(runs + 1):  # the first round warms the disk cache and is not counted
        for name, way in ways.items():
            started = time.perf_counter()
            found[name] = way(files)
            times[name].append(time.perf_counter() - started)
    return {name: (statistics.median(times[name][1:]) / len(files), found[name]) for name in ways}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--scenes", type=int, default=20)
    parser.add_argument("--textures", type=int, default=5)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    files = build(Path(args.out).resolve(), args.scenes, args.textures)
    figures = measure(files, args.runs)
    print(f"{args.scenes} scenes, {args.textures} textures and a linked library each; per file, median of {args.runs}:")
    labels = {
        "all": "accsyn-dcc scan of all files (one Blender)",
        "each": "accsyn-dcc scan per file (one Blender per file)",
        "bat": "bat list per file",
    }
    for name, label in labels.items():
        seconds, found = figures[name]
        print(f"  {label}: {seconds:.3f} s, {sum(found)} files found")
    print(f"  ratio all / bat: {figures['all'][0] / figures['bat'][0]:.2f}")


if __name__ == "__main__":
    main()

"""Scan a .blend file for the files its render needs, by asking Blender itself in a subprocess.

Blender (``BLENDER_EXECUTABLE``, ``blender`` on PATH) or a Python with the ``bpy`` module
(``ACCSYN_BLENDER_PYTHON``, or this interpreter when it has ``bpy``) reads the scene and prints
its external files as JSON; the calling process never imports ``bpy`` itself.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from typing import Any, Dict, List, Optional

from accsyn_dcc.errors import AccsynDccError
from accsyn_dcc.ranges import FrameRange
from accsyn_dcc.scan.records import Dependency, Output, ScanResult
from accsyn_dcc.sequences import DirectoryIndex

_REPORT = r"""
import json, sys
import bpy

path = sys.argv[sys.argv.index("--") + 1]
if bpy.data.filepath != path:
    bpy.ops.wm.open_mainfile(filepath=path, load_ui=False)
scene = bpy.context.scene
files = []
for kind, collection in (("library", "libraries"), ("image", "images"), ("sound", "sounds"),
                         ("movieclip", "movieclips"), ("cache", "cache_files"), ("volume", "volumes"),
                         ("font", "fonts")):
    for block in getattr(bpy.data, collection, []):
        filepath = getattr(block, "filepath", "")
        if not filepath or filepath == "<builtin>" or getattr(block, "packed_file", None):
            continue
        files.append({"kind": kind, "name": block.name, "path": bpy.path.abspath(filepath),
                      "source": getattr(block, "source", "FILE")})
report = {"frame_start": scene.frame_start, "frame_end": scene.frame_end, "fps": scene.render.fps,
          "output": bpy.path.abspath(scene.render.filepath), "scene": scene.name, "files": files,
          "version": bpy.app.version_string}
print("ACCSYN_SCAN_JSON " + json.dumps(report))
"""


class BlendScanError(AccsynDccError):
    """Blender could not read the scene."""


def blender_command() -> List[str]:
    """How to run Blender's Python here: ``[blender, -b, --python-expr]`` style or ``[python, -c]``."""
    if os.environ.get("BLENDER_EXECUTABLE") or shutil.which("blender"):
        blender = os.environ.get("BLENDER_EXECUTABLE") or shutil.which("blender")
        return [str(blender), "-b", "--factory-startup", "--python-expr"]
    python = os.environ.get("ACCSYN_BLENDER_PYTHON")
    if python:
        return [python, "-c"]
    if importlib.util.find_spec("bpy") is not None:
        return [sys.executable, "-c"]
    raise BlendScanError("no Blender found: set BLENDER_EXECUTABLE, or ACCSYN_BLENDER_PYTHON to a Python with bpy")


def read_blend(path: str) -> Dict[str, Any]:
    """Blender's own report of a scene: frame range, fps, output path and external files."""
    if not os.path.isfile(path):
        raise BlendScanError(f"{path}: no such file")
    process = subprocess.run(
        [*blender_command(), _REPORT, "--", path], capture_output=True, text=True, errors="replace", check=False
    )
    for line in process.stdout.splitlines():
        if line.startswith("ACCSYN_SCAN_JSON "):
            report: Dict[str, Any] = json.loads(line[len("ACCSYN_SCAN_JSON ") :])
            return report
    detail = (process.stderr or process.stdout).strip().splitlines()[-1:] or ["no output"]
    raise BlendScanError(f"{path}: Blender could not read the scene ({detail[0]})")


def scan_file(path: str, frames: Optional[FrameRange] = None, **options: Any) -> ScanResult:
    """The dependencies, output and frame range of a .blend file."""
    scene = os.path.abspath(path)
    report = read_blend(scene)
    scene_range = FrameRange.from_bounds(report["frame_start"], report["frame_end"])
    result = ScanResult(
        scene=scene,
        frame_range=str(scene_range),
        fps=float(report["fps"]),
        facts={"blender_version": report["version"], "scene": report["scene"]},
    )
    index = DirectoryIndex()
    for item in report["files"]:
        result.dependencies.append(_dependency(item, index))
    output = report.get("output") or ""
    if output:
        result.outputs.append(Output(node=report["scene"], path=output, range=str(frames or scene_range)))
    return result


def _dependency(item: Dict[str, Any], index: DirectoryIndex) -> Dependency:
    path = item["path"]
    if item.get("source") == "TILED" and "<UDIM>" in path:
        prefix, suffix = os.path.basename(path).split("<UDIM>", 1)
        names = index.names(os.path.dirname(path))
        exists = any(name.startswith(prefix) and name.endswith(suffix) for name in names)
    else:
        exists = index.exists(path)
    return Dependency(path=path, kind=item["kind"], node=item["name"], knob="filepath", exists=exists)

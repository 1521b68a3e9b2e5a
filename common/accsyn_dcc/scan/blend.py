"""Scan a .blend file for the files its render needs, by asking Blender itself in a subprocess.

The Blender plug-in's ``report_scene.py`` reads the scene in Blender (see ``accsyn_dcc.blender_process``)
and prints its external files as JSON; the calling process never imports ``bpy`` itself.
"""

from __future__ import annotations

import json
import os
from typing import Any, Dict, Optional

from accsyn_dcc.blender_process import BlenderError, run_plugin_script
from accsyn_dcc.ranges import FrameRange
from accsyn_dcc.references import FileReference, check_references
from accsyn_dcc.scan.records import Output, ScanResult


def read_blend(path: str) -> Dict[str, Any]:
    """Blender's own report of a scene: frame range, fps, output path and external files."""
    if not os.path.isfile(path):
        raise BlenderError(f"{path}: no such file")
    report: Dict[str, Any] = json.loads(
        run_plugin_script("report_scene.py", [path], "ACCSYN_SCAN_JSON", f"read {path}")
    )
    return report


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
    references = [
        FileReference(item["name"], "filepath", item["path"], item["path"], item["kind"], frame_dependent=False)
        for item in report["files"]
    ]
    result.dependencies, result.unresolved = check_references(references, frames)
    output = report.get("output") or ""
    if output:
        result.outputs.append(Output(node=report["scene"], path=output, range=str(frames or scene_range)))
    return result

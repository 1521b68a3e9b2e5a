"""Scan a .blend file for the files its render needs, by asking Blender itself in a subprocess.

Blender runs ``accsyn_dcc/blender/collect.py`` of this installed package as its script (see
``accsyn_dcc.blender_process``), the collector the add-on runs in process, and it prints plain records;
this module turns them into the core's records. The calling process never imports ``bpy``.
"""

from __future__ import annotations

import json
import os
from typing import Any, Dict, List, Mapping, Optional

from accsyn_dcc.blender import collect
from accsyn_dcc.blender_process import BlenderError, run_blender_script
from accsyn_dcc.ranges import FrameRange, compact
from accsyn_dcc.references import FileReference
from accsyn_dcc.scan.dependencies import check_references, note_written
from accsyn_dcc.scan.records import Output, ScanResult


def read_blend(path: str, frames: Optional[FrameRange] = None) -> Dict[str, Any]:
    """Blender's own report of a scene for the job's ``frames`` (None: the scene's): references, outputs, facts."""
    if not os.path.isfile(path):
        raise BlenderError(f"{path}: no such file")
    arguments = [path, str(frames)] if frames else [path]
    report: Dict[str, Any] = json.loads(
        run_blender_script(collect.__file__, arguments, "ACCSYN_SCAN_JSON", f"read {path}")
    )
    return report


def scan_file(path: str, frames: Optional[FrameRange] = None, **options: Any) -> ScanResult:
    """The dependencies, outputs and frame range of a .blend file."""
    return scan_report(os.path.abspath(path), read_blend(os.path.abspath(path), frames), frames)


def scan_report(scene: str, report: Mapping[str, Any], frames: Optional[FrameRange] = None) -> ScanResult:
    """A ``collect`` report (from the add-on or a Blender subprocess) checked against disk."""
    facts = dict(report["scene"])
    scene_range = FrameRange.parse(_range_text(facts), field="scene range")
    result = ScanResult(
        scene=scene,
        frame_range=str(scene_range),
        fps=float(facts.get("fps") or 0) or None,
        facts={"blender_version": facts.get("version"), "scene": facts.get("name"), "camera": facts.get("camera"),
               "marker_cameras": facts.get("marker_cameras", [])},
    )  # fmt: skip
    references = [reference(record) for record in report["references"]]
    result.dependencies, result.unresolved = check_references(references, frames or scene_range)
    result.outputs = [output(record) for record in report["outputs"]]
    note_written(result.dependencies, result.outputs)  # a compositor Image node reading an earlier render
    return result


def reference(record: Mapping[str, Any]) -> FileReference:
    """One ``collect`` record as the core's reference (explicit frames of a sequence kept)."""
    frames: List[int] = list(record.get("frames") or [])
    return FileReference(
        node=str(record["node"]),
        attribute=str(record["attribute"]),
        raw=str(record.get("raw") or ""),
        path=record.get("path") or None,
        kind=str(record.get("kind") or "file"),
        frames=FrameRange.parse(compact(frames)) if frames and min(frames) >= 0 else None,
        frame_dependent=bool(record.get("frame_dependent", True)),
        required=bool(record.get("required", True)),
        condition=str(record.get("condition") or ""),
        folder=bool(record.get("folder")),
        provided_by=str(record.get("provided_by") or ""),
    )


def output(record: Mapping[str, Any]) -> Output:
    return Output(
        node=str(record["node"]),
        path=str(record["path"]),
        range=record.get("range"),
        views=list(record.get("views") or []),
        file_type=str(record.get("file_type") or ""),
        is_movie=bool(record.get("is_movie")),
    )


def _range_text(facts: Mapping[str, Any]) -> str:
    first, last, step = int(facts["frame_start"]), int(facts["frame_end"]), int(facts.get("frame_step") or 1)
    text = f"{max(first, 0)}-{max(last, first, 0)}"
    return f"{text}x{step}" if step > 1 else text

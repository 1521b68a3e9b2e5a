"""Scan a .blend file for the files its render needs, by asking Blender itself in a subprocess.

Blender runs ``accsyn_dcc/blender/collect.py`` of this installed package as its script (see
``accsyn_dcc.blender_process``), the collector the add-on runs in process, and it prints plain records;
this module turns them into the core's records. The calling process never imports ``bpy``. Several scenes
(``scan_files``) are read by one Blender in turn, each opened fresh, so Blender starts once for all of them.
"""

from __future__ import annotations

import json
import os
from typing import Any, Dict, Generator, List, Mapping, Optional, Sequence, Tuple, Union

from accsyn_dcc.blender import collect
from accsyn_dcc.blender_process import BlenderError, run_blender_batch
from accsyn_dcc.ranges import FrameRange, compact
from accsyn_dcc.references import FileReference
from accsyn_dcc.scan.dependencies import finish_scan
from accsyn_dcc.scan.records import Output, ScanResult


def read_blends(
    paths: Sequence[str], frames: Optional[FrameRange] = None
) -> Generator[Tuple[str, Union[Dict[str, Any], BlenderError]], None, None]:
    """Each path with Blender's own report of its scene for the job's ``frames`` (None: each scene's), in order,
    all read by one Blender (another started only after a scene it crashed or hung on), or the error of a scene
    it could not read."""
    present = {path for path in paths if os.path.isfile(path)}
    requests = [([path, str(frames)] if frames else [path], f"read {path}") for path in paths if path in present]
    answers = run_blender_batch(collect.__file__, requests, "ACCSYN_SCAN_JSON", "ACCSYN_SCAN_ERROR")
    try:
        for path in paths:
            if path not in present:
                yield path, BlenderError(f"{path}: no such file")
                continue
            answer = next(answers)
            yield path, answer if isinstance(answer, BlenderError) else _report(answer, path)
    finally:
        answers.close()  # Blender quits, its thumbnail folder deleted, also when the caller stops early


def _report(answer: str, path: str) -> Union[Dict[str, Any], BlenderError]:
    try:
        report: Dict[str, Any] = json.loads(answer)
    except ValueError:
        return BlenderError(f"Blender's answer for {path} was not a scan report ({len(answer)} characters)")
    return report


def scan_files(
    paths: Sequence[str], frames: Optional[FrameRange] = None
) -> Generator[Union[ScanResult, BlenderError], None, None]:
    """The scan of each .blend file (a pipeline checking a shot tree), in order, as each is read, all by one
    Blender: each scene's result, or the error of a scene Blender could not read (the others read all the same)."""
    for scene, report in read_blends([os.path.abspath(path) for path in paths], frames):
        yield report if isinstance(report, BlenderError) else scan_report(scene, report, frames)


def scan_file(path: str, frames: Optional[FrameRange] = None, **options: Any) -> ScanResult:
    """The dependencies, outputs and frame range of a .blend file."""
    [result] = scan_files([path], frames)
    if isinstance(result, BlenderError):
        raise result
    return result


def scan_report(scene: str, report: Mapping[str, Any], frames: Optional[FrameRange] = None) -> ScanResult:
    """A ``collect`` report (from the add-on or a Blender subprocess) checked against disk."""
    facts = dict(report["scene"])
    scene_range = scene_frames(int(facts["frame_start"]), int(facts["frame_end"]), int(facts.get("frame_step") or 1))
    result = ScanResult(
        scene=scene,
        frame_range=scene_range,
        fps=float(facts.get("fps") or 0) or None,
        facts={"blender_version": facts.get("version"), "scene": facts.get("name"), "camera": facts.get("camera"),
               "marker_cameras": facts.get("marker_cameras", [])},
    )  # fmt: skip
    references = [reference(record) for record in report["references"]]
    result.outputs = [output(record, scene_range) for record in report["outputs"]]
    return finish_scan(result, references, frames or scene_range)  # marks a compositor Image of an earlier render


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


def output(record: Mapping[str, Any], frames: FrameRange) -> Output:
    """One ``collect`` output record as the core's; it renders the scene's ``frames`` (``scene_frames``)."""
    return Output(
        node=str(record["node"]),
        path=str(record["path"]),
        range=frames,
        views=list(record.get("views") or []),
        file_type=str(record.get("file_type") or ""),
        is_movie=bool(record.get("is_movie")),
    )


def scene_frames(first: int, last: int, step: int) -> FrameRange:
    """A Blender scene's ``frame_start``, ``frame_end`` and ``frame_step`` as the range the farm renders (frames
    below 0 left out): the one rule for the add-on's live scene and a report of a .blend file."""
    first = max(first, 0)
    return FrameRange.from_bounds(first, max(last, first), max(step, 1), field="scene range")

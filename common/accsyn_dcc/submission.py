"""Assemble a Compute job from a scene: the one path shared by the CLI, the dialog and batch submits.

Order of precedence for every choice: the explicit option, then the settings' ``defaults`` section
(studio, then user), then what the scene says (range, outputs), then the engine's own defaults.

Dependencies: single files are sent as they are; a frame sequence is sent as its folder, so the
farm receives every frame the render may read without listing thousands of files one by one.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from accsyn_dcc.config import Settings, load_settings
from accsyn_dcc.errors import AccsynDccError, Problem
from accsyn_dcc.job import ComputeJob, JobParameters, SharePathMapping
from accsyn_dcc.paths import MappingReport, PathMapper
from accsyn_dcc.ranges import FrameRange
from accsyn_dcc.scan import UnsupportedScene, scan_scene
from accsyn_dcc.scan.records import ScanResult
from accsyn_dcc.workspace import Engine, WorkspaceInfo


@dataclass
class SubmitOptions:
    """What the artist (or script) chose; None means "use the defaults"."""

    engine: Optional[str] = None
    range: Optional[str] = None
    output: Optional[str] = None
    name: Optional[str] = None
    dependencies: List[str] = field(default_factory=list)
    filters: Optional[str] = None
    bucket_size: Optional[int] = None
    queue: Optional[str] = None
    input_conversion: Optional[str] = None
    arguments: Optional[str] = None
    envs: Dict[str, str] = field(default_factory=dict)
    os_envs: Dict[str, Dict[str, str]] = field(default_factory=dict)
    site_settings: Dict[str, Dict[str, Dict[str, str]]] = field(default_factory=dict)
    clear_output_directory: Optional[str] = None
    parameters: Dict[str, Any] = field(default_factory=dict)
    """Engine-specific parameters passed through (e.g. ``writes`` for Nuke)."""


@dataclass
class Submission:
    """A job ready to send, with what was learned while building it."""

    job: ComputeJob
    scan: Optional[ScanResult]
    mapping: MappingReport
    problems: List[Problem] = field(default_factory=list)
    """Things a pre-flight check should show: unknown engine, paths on no share."""


def prepare_submission(
    scene_path: str,
    options: SubmitOptions,
    workspace: WorkspaceInfo,
    settings: Optional[Settings] = None,
    scan: Optional[ScanResult] = None,
) -> Submission:
    """Build the job for ``scene_path``; scans the scene when no ``scan`` is given and a scanner exists."""
    settings = settings or load_settings()
    defaults: Dict[str, Any] = dict(settings.get("defaults") or {})
    scene = os.path.abspath(scene_path)
    frames = FrameRange.parse(options.range) if options.range else None
    if scan is None:
        try:
            scan = scan_scene(scene, frames=frames)
        except UnsupportedScene:
            scan = None

    problems: List[Problem] = []
    engine_code = options.engine or defaults.get("engine")
    if not engine_code:
        raise AccsynDccError("engine: choose the engine that renders this scene (e.g. --engine nuke-15)")
    engine = workspace.engine(engine_code)
    if engine is None and workspace.engines:
        known = ", ".join(sorted(item.code for item in workspace.engines))
        problems.append(Problem("engine", engine_code, f"the workspace has no such engine (it has: {known})"))

    range_text = _range_text(options, scan, engine)
    bucket_size = (
        options.bucket_size
        or defaults.get("task_bucketsize")
        or (engine.settings.default_bucketsize if engine else None)
    )
    if range_text and scan is not None and any(output.is_movie for output in scan.outputs):
        bucket_size = len(FrameRange.parse(range_text))

    mapper = PathMapper(workspace.volumes, settings.local_share_paths)
    output = os.path.abspath(options.output) if options.output else _output_folder(scan)
    dependencies = _dependency_paths(scan) + [os.path.abspath(path) for path in options.dependencies]
    mapping = mapper.map_all([scene] + ([output] if output else []) + dependencies)
    mapped = {item.original: item.accsyn or item.original for item in mapping.mapped}
    for path in mapping.outside:
        problems.append(
            Problem(_field_of(path, scene, output), path, "lies on no accsyn share, so other sites cannot reach it")
        )

    share_paths = [SharePathMapping(**entry) for entry in mapper.mapped_share_paths(mapping.volumes)]
    share_paths += [SharePathMapping(**entry) for entry in defaults.get("mapped_share_paths", [])]
    settings_values: Dict[str, Any] = {}
    if bucket_size:
        settings_values["task_bucketsize"] = int(bucket_size)
    if defaults.get("transfer_speedlimit") is not None:
        settings_values["transfer_speedlimit"] = defaults["transfer_speedlimit"]

    job = ComputeJob(
        engine=engine_code,
        input=mapped[scene],
        name=options.name or f"{os.path.basename(scene)} render",
        range=range_text,
        output=mapped[output] if output else None,
        dependencies=[mapped[path] for path in dict.fromkeys(dependencies)],
        filters=options.filters or defaults.get("filters") or None,
        settings=settings_values,
        envs={**defaults.get("envs", {}), **options.envs},
        os_envs=options.os_envs,
        queue=options.queue or defaults.get("queue") or None,
        parameters=JobParameters(
            arguments=options.arguments,
            input_conversion=_input_conversion(options, defaults, engine, scene),
            remote_os=mapper.local_os,
            mapped_share_paths=share_paths,
            site=options.site_settings or defaults.get("site") or {},
            clear_output_directory=options.clear_output_directory,
            extra=dict(options.parameters),
        ),
    )
    return Submission(job=job, scan=scan, mapping=mapping, problems=problems)


def _range_text(options: SubmitOptions, scan: Optional[ScanResult], engine: Optional[Engine]) -> Optional[str]:
    if engine is not None and not engine.settings.items:
        return None
    text = options.range or (scan.frame_range if scan else None) or (engine.settings.default_range if engine else None)
    return str(FrameRange.parse(text)) if text else None


def _output_folder(scan: Optional[ScanResult]) -> Optional[str]:
    """The common folder of the scene's outputs, or None when it writes nothing known."""
    folders = [os.path.dirname(output.path) for output in (scan.outputs if scan else []) if output.path]
    if not folders:
        return None
    return os.path.commonpath(folders) if len(folders) > 1 else folders[0]


def _dependency_paths(scan: Optional[ScanResult]) -> List[str]:
    """Existing dependency files; a sequence's folder instead of its frames."""
    paths: List[str] = []
    for dependency in scan.dependencies if scan else []:
        if not dependency.exists:
            continue
        paths.append(os.path.dirname(dependency.path) if dependency.frames else dependency.path)
    return paths


def _input_conversion(
    options: SubmitOptions, defaults: Dict[str, Any], engine: Optional[Engine], scene: str
) -> Optional[str]:
    """The artist's choice, else the studio's, else ``auto`` for text scenes and nothing for binary ones."""
    chosen = options.input_conversion or defaults.get("input_conversion")
    if chosen:
        return str(chosen)
    binary = engine.settings.binary_filename_extensions if engine else ""
    extension = os.path.splitext(scene)[1].lower()
    if binary == "*" or (extension and extension in binary.lower()):
        return None
    return "auto"


def _field_of(path: str, scene: str, output: Optional[str]) -> str:
    if path == scene:
        return "input"
    if path == output:
        return "output"
    return "dependencies"

"""The Nuke host adapter: what the shared submit dialog and batch submit learn from the live Nuke session."""

from __future__ import annotations

import os
from typing import Any, Dict, List, Optional, Sequence

import nuke

from accsyn_dcc.hosts import (
    CancelledCallback,
    HostAdapter,
    HostWords,
    PendingScan,
    ProgressCallback,
)
from accsyn_dcc.ranges import FrameRange
from accsyn_dcc.scan.records import Output, ScanResult

WRITE_CLASSES = ("Write", "DeepWrite", "WriteGeo")
MOVIE_TYPES = frozenset({"mov", "mov32", "mov64", "mp4", "m4v", "mxf", "avi", "ffmpeg", "gif", "webm", "mkv"})
"""File types that hold every frame in one file: they cannot be split into buckets."""

ENGINE_SETTING = "nuke_engine"
"""Settings key that overrides the engine chosen from the running Nuke version."""


def knob_value(node: Any, name: str, default: Any = None) -> Any:
    knob = node.knob(name)
    return default if knob is None else knob.value()


def truthy(value: Any) -> bool:
    """A knob's on/off value: a bool, a number, or text such as ``true``/``1`` (as .nk files store it)."""
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes", "on")
    return bool(value)


def number(value: Any, default: int) -> int:
    try:
        return int(float(value))
    except (TypeError, ValueError, OverflowError):  # OverflowError: an infinite value
        return default


def is_movie(file_type: str, path: str) -> bool:
    extension = os.path.splitext(path)[1].lstrip(".").lower()
    return file_type.lower() in MOVIE_TYPES or extension in MOVIE_TYPES


class NukeHost(HostAdapter):
    """The open Nuke script, read through Foundry's API on Nuke's main thread."""

    host_name = "nuke"
    engine_setting = ENGINE_SETTING
    words = HostWords(output="Write", outputs="Writes", scene="script")

    def __init__(self, settings: Optional[Dict[str, Any]] = None) -> None:
        self.settings = dict(settings or {})

    @property
    def host_version(self) -> str:
        return str(nuke.NUKE_VERSION_STRING)

    @property
    def major_version(self) -> int:
        return int(nuke.NUKE_VERSION_MAJOR)

    def scene_path(self) -> Optional[str]:
        name = str(knob_value(nuke.root(), "name", "") or "")
        return os.path.abspath(name) if name and name != "Root" else None

    def is_modified(self) -> bool:
        return bool(nuke.modified())

    def save_scene(self) -> None:
        nuke.scriptSave()

    def proxy_mode(self) -> bool:
        return truthy(knob_value(nuke.root(), "proxy", False))

    def frame_range(self) -> Optional[FrameRange]:
        root = nuke.root()
        first = number(knob_value(root, "first_frame", 1), 1)
        last = number(knob_value(root, "last_frame", first), first)
        return FrameRange.from_bounds(min(first, last), max(first, last))

    def outputs(self, selected_only: bool = False) -> List[Output]:
        selected = {node.fullName() for node in nuke.selectedNodes()} if selected_only else None
        root_range = self.frame_range()
        proxy = self.proxy_mode()
        found: List[Output] = []
        for node in nuke.allNodes(recurseGroups=True):
            if node.Class() not in WRITE_CLASSES or truthy(knob_value(node, "disable", False)):
                continue
            if selected is not None and node.fullName() not in selected:
                continue
            found.append(self._output(node, root_range, proxy))
        return found

    def _output(self, node: Any, root_range: Optional[FrameRange], proxy: bool) -> Output:
        path = str(knob_value(node, "proxy", "") or "") if proxy else ""
        path = path or str(nuke.filename(node) or knob_value(node, "file", "") or "")
        file_type = str(knob_value(node, "file_type", "") or "")
        frame_range = root_range
        if truthy(knob_value(node, "use_limit", False)):
            first, last = number(knob_value(node, "first", 1), 1), number(knob_value(node, "last", 1), 1)
            frame_range = FrameRange.from_bounds(min(first, last), max(first, last))
        views_value = knob_value(node, "views", "") or ""
        views = views_value.split() if isinstance(views_value, str) else [str(view) for view in views_value]
        return Output(
            node=node.fullName(),
            path=path,
            range=str(frame_range) if frame_range else None,
            views=views,
            file_type=file_type,
            is_movie=is_movie(file_type, path),
        )

    def collect_scan(
        self, frames: Optional[FrameRange], progress: ProgressCallback, cancelled: CancelledCallback
    ) -> PendingScan:
        """Main thread: every node's file knobs through Nuke's API; the file checks run in ``finish``."""
        from accsyn_nuke import live_scan

        return live_scan.collect(frames=frames, progress=progress, cancelled=cancelled)

    def output_parameters(self, outputs: Sequence[Output]) -> Dict[str, Any]:
        """The Writes to render, by full name (the engine renders only these)."""
        return {"writes": [output.node for output in outputs]}

    def suggested_envs(self, scan: Optional[ScanResult]) -> Dict[str, str]:
        if scan is None:
            return {}
        folders = sorted({os.path.dirname(dep.path) for dep in scan.dependencies if dep.kind == "gizmo"})
        return {"NUKE_PATH": os.pathsep.join(folders)} if folders else {}

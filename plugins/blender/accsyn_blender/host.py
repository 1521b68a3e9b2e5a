"""The Blender host adapter: the open scene, its range and outputs, and a live scan through ``collect``."""

from __future__ import annotations

import os
import re
from typing import Any, List, Optional, Sequence

import bpy

from accsyn_dcc.blender import collect
from accsyn_dcc.errors import ScanCancelled
from accsyn_dcc.host_table import host_named
from accsyn_dcc.hosts import CancelledCallback, HostAdapter, PendingScan, ProgressCallback
from accsyn_dcc.naming import natural_sort_key
from accsyn_dcc.ranges import FrameRange
from accsyn_dcc.scan.blend import output, scan_report, scene_frames
from accsyn_dcc.scan.records import Output, ScanResult
from accsyn_dcc.workspace import Engine


class _CollectedScene(PendingScan):
    """What ``collect`` read on Blender's main thread; ``finish`` checks the files on any thread."""

    def __init__(self, scene_path: str, report: Any, frames: Optional[FrameRange]) -> None:
        self.scene_path = scene_path
        self.report = report
        self.frames = frames

    def finish(self) -> ScanResult:
        return scan_report(self.scene_path, self.report, self.frames)


class BlenderHost(HostAdapter):
    """The scene open in this Blender session (``bpy.context.scene``)."""

    application = host_named("blender")
    host_name = application.name
    engine_setting = application.engine_setting
    words = application.words

    def __init__(self, scene: Any = None) -> None:
        self._scene = scene

    @property
    def scene(self) -> Any:
        return self._scene or bpy.context.scene

    @property
    def host_version(self) -> str:
        return str(bpy.app.version_string)

    def scene_path(self) -> Optional[str]:
        return os.path.abspath(bpy.data.filepath) if bpy.data.filepath else None

    def is_modified(self) -> bool:
        """Unsaved changes in an interactive session. A background session (``blender -b``, ``bpy``) keeps
        ``is_dirty`` set even after saving, so there the script that changes the scene saves it."""
        return bool(bpy.data.is_dirty) and not bpy.app.background

    def save_scene(self) -> None:
        bpy.ops.wm.save_mainfile()

    def frame_range(self) -> FrameRange:
        scene = self.scene
        return scene_frames(scene.frame_start, scene.frame_end, scene.frame_step)

    def outputs(self, selected_only: bool = False) -> List[Output]:
        frames = self.frame_range()
        return [output(record, frames) for record in collect.collect(self.scene)["outputs"]]

    def collect_scan(
        self, frames: Optional[FrameRange], progress: ProgressCallback, cancelled: CancelledCallback
    ) -> PendingScan:
        try:
            report = collect.collect(self.scene, progress, cancelled, frames)
        except collect.Cancelled:
            raise ScanCancelled() from None
        return _CollectedScene(self.scene_path() or "untitled.blend", report, frames)

    def default_engine(self, engines: Sequence[Engine]) -> Optional[str]:
        """The newest engine named ``blender`` or ``blender-<version>``."""
        codes = [engine.code for engine in engines if re.match(r"^blender(-|$)", engine.code.lower())]
        return sorted(codes, key=natural_sort_key)[-1] if codes else None

    def relative_to_scene(self, path: str) -> bool:
        return True

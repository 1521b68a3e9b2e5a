"""The Houdini host adapter: what the shared submit dialog and scripted submits learn from the open scene."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

import hou

from accsyn_dcc.host_table import host_named
from accsyn_dcc.hosts import (
    CancelledCallback,
    HostAdapter,
    PendingScan,
    ProgressCallback,
)
from accsyn_dcc.ranges import FrameRange, saved_range
from accsyn_dcc.scan.houdini.scanner import scene_outputs
from accsyn_dcc.scan.records import Output


class HoudiniHost(HostAdapter):
    """The scene open in Houdini, read through ``hou`` on Houdini's main thread."""

    application = host_named("houdini")
    host_name = application.name
    engine_setting = application.engine_setting
    words = application.words

    def __init__(self, settings: Optional[Dict[str, Any]] = None) -> None:
        self.settings = dict(settings or {})

    @property
    def host_version(self) -> str:
        return str(hou.applicationVersionString())

    def scene_path(self) -> Optional[str]:
        path = str(hou.hipFile.path())
        return None if path.endswith("untitled.hip") else path

    def is_modified(self) -> bool:
        return bool(hou.hipFile.hasUnsavedChanges())

    def save_scene(self) -> None:
        hou.hipFile.save()

    def frame_range(self) -> Optional[FrameRange]:
        first, last = hou.playbar.frameRange()
        return saved_range(first, last)

    def outputs(self, selected_only: bool = False) -> List[Output]:
        """Every ROP that writes files, with its own range; ``selected_only``: the selected ones."""
        from accsyn_houdini import live_scan

        snapshot = live_scan.collect(rops_only=True)
        found = scene_outputs(snapshot.scene, snapshot.environ)
        if selected_only:
            chosen = {node.path() for node in hou.selectedNodes()}
            found = [output for output in found if output.node in chosen]
        return found

    def collect_scan(
        self, frames: Optional[FrameRange], progress: ProgressCallback, cancelled: CancelledCallback
    ) -> PendingScan:
        from accsyn_houdini import live_scan

        return live_scan.collect(frames=frames, progress=progress, cancelled=cancelled)

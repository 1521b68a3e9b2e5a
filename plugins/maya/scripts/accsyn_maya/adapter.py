"""The Maya host adapter: what the shared submit dialog and scripted submits learn from the open Maya scene."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence

from maya import cmds

from accsyn_dcc.host_table import host_named
from accsyn_dcc.hosts import (
    CancelledCallback,
    HostAdapter,
    PendingScan,
    ProgressCallback,
    layer_and_camera,
    output_parameters,
)
from accsyn_dcc.ranges import FrameRange
from accsyn_dcc.scan.maya.layers import RenderLayer, layer_outputs, render_layers, scene_range
from accsyn_dcc.scan.records import Output


def layer_of(output: Output) -> str:
    """The render layer an output belongs to."""
    return layer_and_camera(output)[0]


def camera_of(output: Output) -> str:
    return layer_and_camera(output)[1]


class MayaHost(HostAdapter):
    """The scene open in Maya, read through ``maya.cmds`` on Maya's main thread."""

    application = host_named("maya")
    host_name = application.name
    engine_setting = application.engine_setting
    words = application.words

    def __init__(self, settings: Optional[Dict[str, Any]] = None) -> None:
        self.settings = dict(settings or {})
        self._layers: List[RenderLayer] = []

    @property
    def host_version(self) -> str:
        return str(cmds.about(version=True))

    def scene_path(self) -> Optional[str]:
        from accsyn_maya.live_scan import scene_path

        path = scene_path()
        return None if path == "untitled.ma" else path

    def is_modified(self) -> bool:
        return bool(cmds.file(query=True, modified=True))

    def save_scene(self) -> None:
        cmds.file(save=True)

    def frame_range(self) -> Optional[FrameRange]:
        from accsyn_maya import live_scan

        return scene_range(live_scan.collect(settings_only=True).scene)

    def outputs(self, selected_only: bool = False) -> List[Output]:
        """One output per renderable layer (and camera); ``selected_only``: the current render layer's."""
        from accsyn_maya import live_scan

        snapshot = live_scan.collect(settings_only=True)
        self._layers = render_layers(snapshot.scene)
        found = layer_outputs(snapshot.scene, snapshot.project, self._layers)
        if selected_only:
            current = str(cmds.editRenderLayerGlobals(query=True, currentRenderLayer=True))
            names = {layer.name for layer in self._layers if layer.legacy_name == current}
            found = [output for output in found if layer_of(output) in names]
        return found

    def collect_scan(
        self, frames: Optional[FrameRange], progress: ProgressCallback, cancelled: CancelledCallback
    ) -> PendingScan:
        """Main thread: the attributes the core's tables name, through ``maya.cmds``; file checks in ``finish``."""
        from accsyn_maya import live_scan

        return live_scan.collect(frames=frames, progress=progress, cancelled=cancelled)

    def output_parameters(self, outputs: Sequence[Output]) -> Dict[str, Any]:
        """The render layers (``Render -rl`` names) and cameras the engine renders."""
        if not self._layers:
            self.outputs()
        return output_parameters(self.application, outputs, {layer.name: layer.legacy_name for layer in self._layers})

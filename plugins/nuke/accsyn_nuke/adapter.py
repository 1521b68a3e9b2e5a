"""The Nuke host adapter: what the shared submit dialog and batch submit learn from the live Nuke session."""

from __future__ import annotations

import os
from functools import partial
from typing import Any, Dict, List, Optional

import nuke

from accsyn_dcc.host_table import host_named
from accsyn_dcc.hosts import (
    CancelledCallback,
    HostAdapter,
    PendingScan,
    ProgressCallback,
)
from accsyn_dcc.ranges import FrameRange
from accsyn_dcc.scan.nuke.outputs import in_project, is_output, output_of, rendered_nodes, scene_range
from accsyn_dcc.scan.nuke.rules import OUTPUT_CLASSES
from accsyn_dcc.scan.nuke.script import CONTAINERS, knob_on
from accsyn_dcc.scan.records import Output
from accsyn_nuke.live_scan import knob_text, snapshot


def knob_value(node: Any, name: str, default: Any = None) -> Any:
    knob = node.knob(name)
    return default if knob is None else knob.value()


class NukeHost(HostAdapter):
    """The open Nuke script, read through Foundry's API on Nuke's main thread."""

    application = host_named("nuke")
    host_name = application.name
    engine_setting = application.engine_setting
    words = application.words

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
        knob = nuke.root().knob("proxy")
        return knob is not None and knob_on(knob_text(knob))  # the offline scanner's rule for the saved text

    def frame_range(self) -> Optional[FrameRange]:
        """The root's range as the farm renders it: the offline scanner's rule (``outputs.scene_range``)."""
        knobs = [nuke.root().knob(name) for name in ("first_frame", "last_frame")]
        first, last = (None if knob is None else knob_text(knob) for knob in knobs)
        return scene_range(first, last).frames

    def outputs(self, selected_only: bool = False) -> List[Output]:
        """The rendered outputs by the offline scanner's rules (``outputs.output_of``); the scan reports why a
        node is left out or cut."""
        selected = {node.fullName() for node in nuke.selectedNodes()} if selected_only else None
        proxy = self.proxy_mode()
        views = list(nuke.views()) if hasattr(nuke, "views") else []
        nodes = [
            snapshot(node)
            for node in nuke.allNodes(recurseGroups=True)
            if node.Class() in OUTPUT_CLASSES or node.Class() in CONTAINERS
        ]
        resolve = partial(in_project, project=self._project_directory())
        found: List[Output] = []
        for node in rendered_nodes(nodes):
            if is_output(node) and (selected is None or node.name in selected):
                output, _findings = output_of(node, node.name, proxy, views, resolve)
                found += [output] if output else []
        return found

    def _project_directory(self) -> str:
        """Where relative paths lie: the root's ``project_directory``, else the script's folder."""
        knob = nuke.root().knob("project_directory")
        return (knob_text(knob).strip() if knob is not None else "") or os.path.dirname(self.scene_path() or "")

    def collect_scan(
        self, frames: Optional[FrameRange], progress: ProgressCallback, cancelled: CancelledCallback
    ) -> PendingScan:
        """Main thread: every node's file knobs through Nuke's API; the file checks run in ``finish``."""
        from accsyn_nuke import live_scan

        return live_scan.collect(frames=frames, progress=progress, cancelled=cancelled)

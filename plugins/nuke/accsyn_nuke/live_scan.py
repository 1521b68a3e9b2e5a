"""Scan the script open in Nuke, through Nuke's own API, into the same records as the offline reader.

``collect`` runs on Nuke's main thread (the only place the API may be called): it reads the knobs
the rules need from every node, reporting ``progress(done, total)`` and stopping with
``ScanCancelled`` when ``cancelled()`` turns true. ``LiveSnapshot.finish`` runs on a worker thread: it applies
the offline scanner's rules to that snapshot and checks the files, listing each folder once.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional

import nuke

from accsyn_dcc.errors import ScanCancelled
from accsyn_dcc.hosts import PendingScan
from accsyn_dcc.ranges import FrameRange
from accsyn_dcc.scan.nuke.rules import FILE_RULES
from accsyn_dcc.scan.nuke.scanner import scan_script
from accsyn_dcc.scan.nuke.script import CONTAINERS, Node, NukeScript
from accsyn_dcc.scan.records import ScanResult

ROOT_KNOBS = (
    "name", "project_directory", "first_frame", "last_frame", "fps", "proxy",
    "colorManagement", "OCIO_config", "customOCIOConfigPath",
)  # fmt: skip
NODE_KNOBS = sorted(
    {name.name for rule in FILE_RULES for name in rule.fields}
    | {"disable", "first", "last", "proxy", "use_limit", "file_type", "views", "name", "font"}
)
PROGRESS_EVERY = 50


@dataclass
class LiveSnapshot(PendingScan):
    """What ``collect`` read on the main thread, for ``finish`` to check off it."""

    script: NukeScript
    frames: Optional[FrameRange]
    environ: Dict[str, str] = field(default_factory=dict)
    plugin_paths: List[str] = field(default_factory=list)

    def finish(self) -> ScanResult:
        """Apply the offline reader's rules to the snapshot and check the files (any thread)."""
        return scan_script(self.script, self.frames, self.environ, self.plugin_paths)


def collect(
    frames: Optional[FrameRange] = None,
    progress: Callable[[int, int], None] = lambda done, total: None,
    cancelled: Callable[[], bool] = lambda: False,
) -> LiveSnapshot:
    """Read the open script's nodes (main thread only)."""
    root = nuke.root()
    root_knobs = {name: knob_text(root.knob(name)) for name in ROOT_KNOBS if root.knob(name) is not None}
    views = nuke.views() if hasattr(nuke, "views") else []
    if views:
        root_knobs["views"] = "\n".join(views)
    path = root_knobs.get("name") or ""
    script = NukeScript(path=os.path.abspath(path) if path else "untitled.nk", root=root_knobs)
    all_nodes = nuke.allNodes(recurseGroups=True)
    for index, node in enumerate(all_nodes, start=1):
        if index % PROGRESS_EVERY == 0 or index == len(all_nodes):
            progress(index, len(all_nodes))
            if cancelled():
                raise ScanCancelled()
        script.nodes.append(snapshot(node))
    plugin_paths = list(nuke.pluginPath()) if hasattr(nuke, "pluginPath") else []
    return LiveSnapshot(script, frames, dict(os.environ), plugin_paths)


def snapshot(node: Any) -> Node:
    """A node as the core's rules read it: its knobs as .nk text, ``file`` as Nuke evaluates it."""
    full_name = node.fullName()
    knobs: Dict[str, str] = {}
    for name in NODE_KNOBS:
        knob = node.knob(name)
        if knob is not None:
            knobs[name] = knob_text(knob)
    filename = getattr(nuke, "filename", None)
    if filename is not None and node.knob("file") is not None:
        knobs["file"] = str(filename(node) or knobs.get("file", ""))
    user_files = [
        name for name, knob in _all_knobs(node).items() if knob.Class() == "File_Knob" and name not in NODE_KNOBS
    ]
    for name in user_files:
        knobs[name] = knob_text(node.knob(name))
    parent = full_name.rpartition(".")[0] or None
    if node.Class() in CONTAINERS:
        knobs.setdefault("name", full_name)
    return Node(node.Class(), full_name, knobs, user_files, parent)


def _all_knobs(node: Any) -> Dict[str, Any]:
    knobs = getattr(node, "knobs", None)
    return dict(knobs()) if callable(knobs) else {}


def knob_text(knob: Any) -> str:
    """A knob's value as .nk text: booleans as true/false, expressions evaluated where Nuke can."""
    evaluated = getattr(knob, "getEvaluatedValue", None)
    value = evaluated() if callable(evaluated) else knob.value()
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)

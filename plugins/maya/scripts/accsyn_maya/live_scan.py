"""Scan the scene open in Maya through ``maya.cmds`` into the same ``MayaScene`` the offline reader fills.

``collect`` runs on Maya's main thread (the only place ``maya.cmds`` may be called): it reads only the
attributes the core's tables name, node by node, reporting ``progress(done, total)`` often enough that
the dialog repaints, and stops with ``ScanCancelled`` when ``cancelled()`` turns true. ``LiveSnapshot.finish``
runs on a worker thread: the core's rules and the file checks, each folder listed once.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Iterable, List, Optional, Tuple

from maya import cmds

from accsyn_dcc.errors import ScanCancelled
from accsyn_dcc.hosts import PendingScan
from accsyn_dcc.ranges import FrameRange
from accsyn_dcc.scan.maya.layers import ADJUSTMENTS, CONNECTED, RENDER_SETUP_TYPES, SETTINGS_TYPES
from accsyn_dcc.scan.maya.model import Connection, MayaNode, MayaReference, MayaScene
from accsyn_dcc.scan.maya.node_types import RULES_BY_TYPE
from accsyn_dcc.scan.maya.project import MayaProject
from accsyn_dcc.scan.maya.scanner import attributes_to_read, scan_maya_scene
from accsyn_dcc.scan.records import ScanResult

PROGRESS_EVERY = 25
"""Nodes read between two progress calls (each lets the dialog repaint and the artist cancel)."""
PROJECT_RULES = ("images", "sourceImages")
LEGACY_LAYER_TYPE = "renderLayer"


@dataclass
class LiveSnapshot(PendingScan):
    """What ``collect`` read on the main thread, for ``finish`` to check off it."""

    scene: MayaScene
    project: MayaProject
    frames: Optional[FrameRange]
    environ: Dict[str, str] = field(default_factory=dict)

    def finish(self) -> ScanResult:
        return scan_maya_scene(self.scene, self.frames, self.environ, self.project, follow_references=False)


def collect(
    frames: Optional[FrameRange] = None,
    progress: Callable[[int, int], None] = lambda done, total: None,
    cancelled: Callable[[], bool] = lambda: False,
    settings_only: bool = False,
) -> LiveSnapshot:
    """Read the open scene (main thread only); ``settings_only`` reads just layers, cameras and render settings."""
    scene = MayaScene(scene_path())
    scene.time_unit = str(cmds.currentUnit(query=True, time=True) or "film")
    scene.plugins = {"maya": str(cmds.about(version=True)), **loaded_plugins()}
    types = sorted(SETTINGS_TYPES if settings_only else SETTINGS_TYPES | set(RULES_BY_TYPE))
    work: List[Tuple[str, str, Optional[List[str]]]] = [(name, node_type, None) for node_type in types
                                                        for name in nodes_of_type(node_type)]  # fmt: skip
    if not settings_only:
        work += list(registered_file_attributes())
    table = {node_type: [attribute.name for attribute in attributes_to_read(node_type)] for node_type in types}
    for done, (name, node_type, attributes) in enumerate(work, start=1):
        if done % PROGRESS_EVERY == 0:
            progress(done, len(work))
            if cancelled():
                raise ScanCancelled()
        node = scene.add(MayaNode(node_type, name, parent_of(name)))
        for attribute in table[node_type] if attributes is None else attributes:
            value = read_attribute(name, attribute)
            if value is not None:
                node.attributes[attribute] = value
        if node_type in RENDER_SETUP_TYPES:
            scene.connections += connections_into(name)
        if node_type == LEGACY_LAYER_TYPE:
            scene.connections += adjustments_of(node)
    progress(len(work), len(work))
    if not settings_only:
        scene.references = list(references())
    return LiveSnapshot(scene, current_project(), frames, dict(os.environ))


def scene_path() -> str:
    name = str(cmds.file(query=True, sceneName=True) or "")
    return os.path.abspath(name) if name else "untitled.ma"


def current_project() -> MayaProject:
    root = str(cmds.workspace(query=True, rootDirectory=True) or "").rstrip("/\\") or os.getcwd()
    rules = {rule: str(cmds.workspace(fileRuleEntry=rule) or "") for rule in PROJECT_RULES}
    return MayaProject(root, {rule: folder for rule, folder in rules.items() if folder})


def loaded_plugins() -> Dict[str, str]:
    names = strings(cmds.pluginInfo(query=True, listPlugins=True))
    return {name: str(cmds.pluginInfo(name, query=True, version=True) or "") for name in names}


def strings(value: Any) -> List[str]:
    """A command's list answer as strings (Maya answers None, not an empty list, when there is nothing)."""
    return [str(item) for item in value] if isinstance(value, (list, tuple)) else []


def nodes_of_type(node_type: str) -> List[str]:
    """Full names of the nodes of a type; none when the type is unknown (its plug-in is not loaded)."""
    try:
        return strings(cmds.ls(type=node_type, long=True))
    except RuntimeError:
        return []


def registered_file_attributes() -> Iterable[Tuple[str, str, Optional[List[str]]]]:
    """Nodes of types the File Path Editor knows and the core's table does not, with their file attributes."""
    for entry in strings(cmds.filePathEditor(query=True, listRegisteredTypes=True)):
        node_type, _, attribute = entry.partition(".")
        if node_type in RULES_BY_TYPE or node_type in SETTINGS_TYPES:
            continue
        for name in nodes_of_type(node_type):
            attributes = [attribute] if attribute else strings(cmds.listAttr(name, usedAsFilename=True))
            yield name, node_type, attributes


def read_attribute(node: str, attribute: str) -> Optional[str]:
    """An attribute's value as the ``.ma`` file would hold it (a string array one entry per line); None if absent."""
    try:
        value = cmds.getAttr(f"{node}.{attribute}")
    except (ValueError, RuntimeError):
        return None
    return as_text(value)


def as_text(value: Any) -> Optional[str]:
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        return "\n".join(str(item) for item in value)
    return str(value)


def parent_of(name: str) -> Optional[str]:
    """The DAG parent's full name (``|rock`` for ``|rock|rockShape``); None for a root or dependency node."""
    return name.rpartition("|")[0] or None if name.startswith("|") else None


def connections_into(name: str) -> List[Connection]:
    found: List[Connection] = []
    for plug in CONNECTED:
        for source in strings(cmds.listConnections(f"{name}.{plug.long}", source=True, destination=False)):
            found.append(Connection(source, "", name, plug.long))
    return found


def adjustments_of(layer: MayaNode) -> List[Connection]:
    """A legacy render layer's adjustments: the plug each changes, and (into ``layer``) the value it sets."""
    found: List[Connection] = []
    plug = f"{layer.name}.{ADJUSTMENTS.long}"
    pairs = strings(cmds.listConnections(plug, source=True, destination=False, plugs=True, connections=True))
    for this_plug, other_plug in zip(pairs[0::2], pairs[1::2]):
        target_attribute = this_plug.partition(".")[2]
        source_node, _, source_attribute = other_plug.partition(".")
        found.append(Connection(source_node, source_attribute, layer.name, target_attribute))
        index = re.search(r"\[(\d+)\]", target_attribute)
        value = read_attribute(layer.name, f"{ADJUSTMENTS.long}[{index.group(1)}].value") if index else None
        if index and value is not None:
            layer.attributes[f"{ADJUSTMENTS.long}[{index.group(1)}].value"] = value
    return found


def references(parent: Optional[str] = None, depth: int = 1) -> Iterable[MayaReference]:
    """Every reference, nested ones included, with its path as saved (unresolved) and whether it is loaded."""
    paths = strings(cmds.file(parent, query=True, reference=True) if parent else cmds.file(query=True, reference=True))
    for path in paths:
        yield MayaReference(
            raw=str(cmds.referenceQuery(path, filename=True, unresolvedName=True, withoutCopyNumber=True)),
            reference_node=str(cmds.referenceQuery(path, referenceNode=True)),
            namespace=str(cmds.referenceQuery(path, namespace=True, shortName=True)),
            loaded=bool(cmds.referenceQuery(path, isLoaded=True)),
            depth=depth,
        )
        yield from references(path, depth + 1)

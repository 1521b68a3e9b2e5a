"""Scan the scene open in Houdini through ``hou`` into the same ``HipScene`` the offline reader fills.

``collect`` runs on Houdini's main thread: ``hou.fileReferences()`` names the parms Houdini knows hold
files, the core's node-type table adds the nodes it misses (and the ROPs), and each parm is read
unexpanded (a keyframed one with its expression). Variables the parms name are expanded by
``hou.text.expandString``, so ``$HIP``, ``$JOB`` and package variables are Houdini's own. A parm that
cannot be read becomes a finding on that parm. Progress is reported often enough for the dialog to
repaint, and ``ScanCancelled`` ends it when the artist cancels. ``LiveSnapshot.finish`` checks the files
on a worker thread.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Iterable, List, Optional, Set, Tuple

import hou

from accsyn_dcc.errors import ScanCancelled
from accsyn_dcc.hosts import PendingScan
from accsyn_dcc.ranges import FrameRange
from accsyn_dcc.scan.environment import is_credential_name
from accsyn_dcc.scan.houdini.model import HipNode, HipScene, ParmValue
from accsyn_dcc.scan.houdini.node_types import DRIVER, OUTPUTS, ROUTING_ROPS, RULES_BY_TYPE, renders, rule_for_parm
from accsyn_dcc.scan.houdini.scanner import MAX_REFERENCE_HOPS, referenced_parm, scan_hip_scene
from accsyn_dcc.scan.houdini.variables import FRAME_VARIABLE, TIME_VARIABLES
from accsyn_dcc.scan.records import ScanResult

PROGRESS_EVERY = 25
ROP_PARMS = ("trange",)
RANGE_TUPLE = "f"
_NAMED = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?")


@dataclass
class LiveSnapshot(PendingScan):
    """What ``collect`` read on the main thread, for ``finish`` to check off it."""

    scene: HipScene
    frames: Optional[FrameRange]
    environ: Dict[str, str] = field(default_factory=dict)

    def finish(self) -> ScanResult:
        return scan_hip_scene(self.scene, self.frames, self.environ)


def collect(
    frames: Optional[FrameRange] = None,
    progress: Callable[[int, int], None] = lambda done, total: None,
    cancelled: Callable[[], bool] = lambda: False,
    rops_only: bool = False,
) -> LiveSnapshot:
    """Read the open scene (main thread only); ``rops_only`` reads just the ROPs and the playbar."""
    scene = scene_facts()
    work = list(nodes_to_read(rops_only))
    for done, (node, parm_names) in enumerate(work, start=1):
        if done % PROGRESS_EVERY == 0:
            progress(done, len(work))
            if cancelled():
                raise ScanCancelled()
        scene.nodes.append(snapshot(node, parm_names))
    progress(len(work), len(work))
    add_referenced_parms(scene.nodes)
    scene.variables = variables_named(scene.nodes)
    if not rops_only:
        scene.libraries = used_libraries()
    return LiveSnapshot(scene, frames, dict(os.environ))


def scene_facts() -> HipScene:
    path = os.path.abspath(hou.hipFile.path())
    first, last = hou.playbar.frameRange()
    return HipScene(
        path,
        frame_range=[float(first), float(last)],
        current_frame=float(hou.frame()),
        fps=float(hou.fps()),
        file_format=os.path.splitext(path)[1].lstrip(".") or "hip",
        houdini_version=hou.applicationVersionString(),
    )


def nodes_to_read(rops_only: bool) -> Iterable[Tuple[Any, Optional[Set[str]]]]:
    """``(node, parm names)``: table types and ROPs with every parm the core needs (None), then the other
    nodes ``hou.fileReferences()`` names, with only those parms."""
    seen: Dict[str, Optional[Set[str]]] = {}
    nodes: Dict[str, Any] = {}
    for category in hou.nodeTypeCategories().values():
        for name, node_type in category.nodeTypes().items():
            if renders(category.name(), name):
                wanted = True
            else:
                wanted = category.name() != DRIVER and name in RULES_BY_TYPE and not rops_only
            if not wanted or not isinstance(node_type, hou.OpNodeType):
                continue
            for node in node_type.instances():
                seen[node.path()] = None
                nodes[node.path()] = node
    if not rops_only:
        for parm, _path in hou.fileReferences():
            if parm is None:
                continue
            owner = parm.node()
            known = seen.setdefault(owner.path(), set())
            if known is not None:
                known.add(parm.name())
            nodes.setdefault(owner.path(), owner)
    for path, names in seen.items():
        yield nodes[path], names


def snapshot(node: Any, parm_names: Optional[Set[str]]) -> HipNode:
    node_type = node.type()
    category = node_type.category().name()
    found = HipNode(node.path(), node_type.name(), category=category, bypassed=bypassed(node))
    if category == DRIVER:
        found.inputs = [str(wired.path()) for wired in node.inputs() if wired is not None]
    names = parm_names if parm_names is not None else wanted_parms(node, node_type.name(), category)
    for name in sorted(names):
        if name == RANGE_TUPLE:
            components = node.parmTuple(RANGE_TUPLE)
            found.parms[name] = [read(parm) for parm in components] if components is not None else []
            continue
        parm = node.parm(name)
        if parm is not None:
            found.parms[name] = [read(parm)]
    return found


def wanted_parms(node: Any, type_name: str, category: str) -> Set[str]:
    rows = OUTPUTS.get((category, type_name), ())
    wanted = {name for row in rows for name in (row.parm, row.enabled_by) if name}
    if rows or category == DRIVER:
        wanted |= {name for name in (ROUTING_ROPS.get(type_name, ""), *ROP_PARMS, RANGE_TUPLE) if name}
    rules = RULES_BY_TYPE.get(type_name, ()) if category != DRIVER else ()
    wanted |= {named.name for rule in rules for named in rule.fields if not named.name.endswith("#")}
    if any(rule.field.name.endswith("#") for rule in rules):  # a multiparm: its instances, as the node has them
        wanted |= {parm.name() for parm in node.parms() if rule_for_parm(rules, parm.name())}
    return wanted


def read(parm: Any) -> ParmValue:
    """A parm as saved: its unexpanded text, or the channel driving it; an error becomes the parm's finding."""
    try:
        if parm.keyframes():
            return ParmValue(str(parm.evalAsString()), parm.name(), str(parm.expression()))
        return ParmValue(str(parm.unexpandedString()))
    except Exception as error:  # hou.OperationFailed and kin: a finding on this parm, never an aborted scan
        return ParmValue("", error=f"Houdini could not read the parm ({type(error).__name__})")


def add_referenced_parms(nodes: List[HipNode]) -> None:
    """Read the parms a ``chs("...")`` value names (and those they name, ``MAX_REFERENCE_HOPS`` deep) into
    ``nodes``, as the offline reader has every parm, so the scan follows the reference the same way."""
    by_path = {node.path: node for node in nodes}
    pending = list(nodes)
    for _hop in range(MAX_REFERENCE_HOPS):
        added: List[HipNode] = []
        for node in pending:
            for value in [value for values in node.parms.values() for value in values]:
                target = referenced_parm(node.path, value)
                owner = by_path.get(target[0]) if target else None
                if target is None or (owner is not None and target[1] in owner.parms):
                    continue
                source: Any = hou.node(target[0])
                parm = source.parm(target[1]) if source is not None else None
                if source is None or parm is None:
                    continue
                if owner is None:
                    owner = by_path[target[0]] = snapshot(source, set())
                    nodes.append(owner)
                owner.parms[target[1]] = [read(parm)]
                added.append(owner)
        pending = added


def bypassed(node: Any) -> bool:
    is_bypassed = getattr(node, "isBypassed", None)
    return bool(is_bypassed()) if callable(is_bypassed) else False


def variables_named(nodes: List[HipNode]) -> Dict[str, str]:
    """Each variable the parms name, as Houdini expands it (empty values left out: unset)."""
    names = {match for node in nodes for values in node.parms.values() for value in values
             for match in _NAMED.findall(value.raw)}  # fmt: skip
    names = {name for name in names - TIME_VARIABLES - {"OS"} if not FRAME_VARIABLE.match(name)}
    names = {name for name in names if not is_credential_name(name)}  # the core refuses those, by name
    values = {name: str(hou.text.expandString(f"${{{name}}}")) for name in names}
    return {name: value for name, value in values.items() if value}


def used_libraries() -> List[str]:
    """HDA files holding a definition the scene uses (Houdini's own, under ``$HFS``, left out by the scan)."""
    used: List[str] = []
    for library in hou.hda.loadedFiles():
        if any(definition.nodeType().instances() for definition in hou.hda.definitionsInFile(library)):
            used.append(str(library))
    return used

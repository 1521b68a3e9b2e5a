"""Scan a Houdini scene: every file its render reads, each ROP's output and range, what stays unresolved.

``scan_hip_scene`` serves the offline ``.hip`` reader and the live scan alike (both fill a ``HipScene``).
A failure on one parm is a finding on that parm, never an aborted scan; a file a ROP of the same scene
writes is marked as written by that ROP (what is not on disk yet is for the render to make, what is on
disk is sent); each path is reported once per node and parm. A value that is only ``chs("../parm")`` is
read from the parm it names; a relative name Houdini finds in its own install (``defcam.bgeo``) is
provided by the render node's Houdini.
"""

from __future__ import annotations

import os
import posixpath
import re
from dataclasses import replace
from typing import Dict, Iterator, List, Mapping, Optional, Set, Tuple

from accsyn_dcc.ranges import FrameRange, saved_range
from accsyn_dcc.references import (
    UNKNOWN_KIND_CONDITION,
    FileReference,
    absolute_path,
    is_absolute_path,
    looks_like_a_file,
)
from accsyn_dcc.scan.dependencies import finish_scan
from accsyn_dcc.scan.environment import Unresolvable
from accsyn_dcc.scan.houdini.hip import load_hip
from accsyn_dcc.scan.houdini.model import HipNode, HipScene, ParmValue
from accsyn_dcc.scan.houdini.node_types import (
    DRIVER,
    NOT_INPUT_TYPES,
    OUTPUT_PARMS,
    RENDER_VIEWERS,
    ROUTING_ROPS,
    RULES_BY_TYPE,
    SHIPPED_BY,
    TO_A_VIEWER,
    not_read,
    renders,
    rop_output,
    rule_for_parm,
    shipped_files,
)
from accsyn_dcc.scan.houdini.variables import expand, package_variables, scene_variables
from accsyn_dcc.scan.records import Output, ScanResult, Unresolved, quoted_value
from accsyn_dcc.sequences import DirectoryIndex

DEFAULT_RANGE = (1.0, 240.0)
"""Houdini's playbar in a new scene."""
CURRENT_FRAME_ONLY = ("off", "0")
"""``trange`` values meaning "Render Current Frame"."""
_PARM_REFERENCE = re.compile(r"""^\s*(`?)\s*chs?\(\s*(["'])([^"'`\s]{1,1024})\2\s*\)\s*\1\s*$""")
"""A value that is only a reference to another parm: ``chs("../file")``, ``ch("/obj/geo1/x/file")``."""
MAX_REFERENCE_HOPS = 8
"""How many parms a reference is followed through (each may name the next)."""


def scan_file(
    path: str, frames: Optional[FrameRange] = None, environ: Optional[Mapping[str, str]] = None, **options: object
) -> ScanResult:
    """Scan the ``.hip``/``.hiplc``/``.hipnc`` at ``path`` for ``frames`` (None: its playbar range)."""
    return scan_hip_scene(load_hip(os.path.abspath(path)), frames, environ)


def scan_hip_scene(
    scene: HipScene, frames: Optional[FrameRange] = None, environ: Optional[Mapping[str, str]] = None
) -> ScanResult:
    environment, variables, unread = _expansion(scene, os.environ if environ is None else environ)
    own_range = saved_range(*(scene.frame_range or DEFAULT_RANGE))
    rops = [node for node in scene.nodes if renders(node.category, node.type)]
    by_path = {node.path: node for node in scene.nodes}
    result = ScanResult(
        scene=scene.path,
        frame_range=own_range,
        fps=scene.fps,
        facts={
            "houdini_version": scene.houdini_version,
            "format": scene.file_format,
            "rops": [{"node": node.path, "type": node.type, "range": str(rop_range(node, scene)),
                      "bypassed": node.bypassed, "renders": render_order(node, by_path)} for node in rops],
        },
    )  # fmt: skip
    result.errors += scene.problems + unread
    result.outputs, result.unresolved = rop_outputs(scene, variables, environment)
    index = DirectoryIndex()
    references = _references(scene, variables, environment)
    return finish_scan(result, references, frames or own_range, index, environment)


def scene_outputs(scene: HipScene, environ: Mapping[str, str]) -> List[Output]:
    """The outputs of the scene's ROPs (for a host's output list, without a scan)."""
    environment, variables, _unread = _expansion(scene, environ)
    return rop_outputs(scene, variables, environment)[0]


def _expansion(scene: HipScene, environ: Mapping[str, str]) -> Tuple[Dict[str, str], Dict[str, str], List[str]]:
    """(the environment with Houdini packages applied, the scene's variables as Houdini has them on load,
    a line for each package that could not be read)."""
    packaged, unread = package_variables(environ)
    return {**environ, **packaged}, scene_variables(scene.path, scene.variables), unread


def rop_outputs(
    scene: HipScene, variables: Mapping[str, str], environ: Mapping[str, str]
) -> Tuple[List[Output], List[Unresolved]]:
    """One output per ROP that writes files, with its own frame range (a parm that cannot expand is
    unresolved), then one per fetch, merge or wedge ROP: the first file its chain writes, at its own range."""
    outputs: Dict[str, Output] = {}
    unresolved: List[Unresolved] = []
    by_path = {node.path: node for node in scene.nodes}
    for node in scene.nodes:
        rop = rop_output(node)
        if rop is None or node.bypassed:
            continue
        value = node.first(rop.parm)
        if value is None or not (value.raw.strip() or value.channel or value.error):
            unresolved.append(Unresolved(node.path, rop.parm, "", rop.when_empty))
            continue
        viewer = RENDER_VIEWERS.get(value.raw.strip()) if value.channel is None else None
        if viewer is not None:
            reason = TO_A_VIEWER.format(viewer=viewer, name=value.raw.strip())
            unresolved.append(Unresolved(node.path, rop.parm, value.raw.strip(), reason))
            continue
        reference = _parm_reference(node, rop.parm, value, rop.kind, scene, variables, environ, by_path)
        if reference.path is None:
            unresolved.append(Unresolved(node.path, rop.parm, quoted_value(value.raw), reference.condition))
            continue
        outputs[node.path] = Output(
            node=node.path, path=reference.path, range=rop_range(node, scene), file_type=_extension(reference.path)
        )
    for node in scene.nodes:
        if node.category != DRIVER or node.type not in ROUTING_ROPS or node.bypassed:
            continue
        written = [outputs[path] for path in render_order(node, by_path) if path in outputs]
        if written:
            outputs[node.path] = replace(written[0], node=node.path, range=rop_range(node, scene))
    return list(outputs.values()), unresolved


def render_order(node: HipNode, by_path: Mapping[str, HipNode], seen: Optional[Set[str]] = None) -> List[str]:
    """The ROPs rendering ``node`` renders, in order: its inputs, the ROP it fetches or drives, then itself."""
    seen = set() if seen is None else seen
    if node.path in seen:
        return []
    seen.add(node.path)
    order: List[str] = []
    upstream = list(node.inputs)
    parm = ROUTING_ROPS.get(node.type)
    target = node.first(parm) if parm else None
    if target is not None and target.raw.strip():
        upstream.append(posixpath.normpath(posixpath.join(node.path, target.raw.strip())))  # relative to the node
    for path in upstream:
        if path in by_path:
            order += render_order(by_path[path], by_path, seen)
    return [*order, node.path]


def rop_range(node: HipNode, scene: HipScene) -> FrameRange:
    """A ROP's frames: ``trange`` "Render Current Frame", else its ``f`` start, end and step."""
    mode = (node.first("trange") or ParmValue("normal")).raw.strip().lower()
    if mode in CURRENT_FRAME_ONLY:
        return saved_range(scene.current_frame, scene.current_frame)
    first, last = scene.frame_range or DEFAULT_RANGE
    return saved_range(node.number("f", 0, first), node.number("f", 1, last), node.number("f", 2, 1))


def _references(scene: HipScene, variables: Mapping[str, str], environ: Mapping[str, str]) -> Iterator[FileReference]:
    by_path = {node.path: node for node in scene.nodes}
    for node in scene.nodes:
        if node.category == DRIVER:
            continue
        rules = RULES_BY_TYPE.get(node.type)
        written = OUTPUT_PARMS.get((node.category, node.type), ())
        for parm, values in node.parms.items():
            rule = rule_for_parm(rules, parm) if rules is not None else None
            if rule is None and (rules is not None or node.type in NOT_INPUT_TYPES or parm in written):
                continue
            for value in values:
                if rule is None and (value.channel or value.error or not looks_like_a_file(value.raw)):
                    continue
                if not value.raw.strip() and not (value.channel or value.error):
                    continue
                kind = rule.kind if rule else "file"
                reference = _parm_reference(node, parm, value, kind, scene, variables, environ, by_path)
                if rule is None:
                    reference = replace(reference, required=False, condition=UNKNOWN_KIND_CONDITION)
                if node.bypassed:
                    reference = replace(reference, needed=False, condition="the node is bypassed")
                elif rule is not None and not_read(node, rule):
                    reference = replace(reference, needed=False, condition=not_read(node, rule))
                yield reference
    for library in scene.libraries:
        reference = _path_reference("(scene)", "HDA library", library, "hda", scene, "", variables, environ)
        hfs = environ.get("HFS", "").replace("\\", "/").rstrip("/")
        if reference.path is not None and hfs and reference.path.replace("\\", "/").startswith(hfs + "/"):
            continue  # Houdini's own libraries are on every node that runs Houdini
        yield reference


def referenced_parm(node_path: str, value: ParmValue) -> Optional[Tuple[str, str]]:
    """``(node path, parm)`` a value names when it is only ``chs("...")`` or ``ch("...")`` (a channel's expression,
    or a string between backticks), its path relative to the node at ``node_path``; None for any other value."""
    text = value.expression if value.channel is not None else value.raw
    if value.channel is None and ("`" not in text or not text.lstrip().startswith("`")):
        return None
    match = _PARM_REFERENCE.match(text)
    if match is None:
        return None
    folder, _, parm = match.group(3).rpartition("/")
    return posixpath.normpath(posixpath.join(node_path, folder)), parm


def _followed(node: HipNode, value: ParmValue, by_path: Mapping[str, HipNode]) -> Tuple[HipNode, ParmValue]:
    """The node and value a chain of ``chs()`` references ends at (the value itself when it names none that the
    scene holds)."""
    for _hop in range(MAX_REFERENCE_HOPS):
        target = referenced_parm(node.path, value)
        owner = by_path.get(target[0]) if target else None
        found = owner.first(target[1]) if owner is not None and target else None
        if owner is None or found is None:
            break
        node, value = owner, found
    return node, value


def _parm_reference(
    node: HipNode, parm: str, value: ParmValue, kind: str, scene: HipScene,
    variables: Mapping[str, str], environ: Mapping[str, str], by_path: Mapping[str, HipNode],
) -> FileReference:  # fmt: skip
    owner, value = _followed(node, value, by_path)
    if value.error:
        return FileReference(node.path, parm, value.raw, None, kind, condition=value.error)
    if value.channel is not None:
        what = "an expression" if value.expression else "keyframes"
        reason = f"driven by {what} (channel {value.channel}), evaluated by Houdini only"
        return FileReference(node.path, parm, value.expression or value.raw, None, kind, condition=reason)
    return _path_reference(node.path, parm, value.raw, kind, scene, owner.name, variables, environ)


def _path_reference(
    node: str, parm: str, raw: str, kind: str, scene: HipScene, node_name: str,
    variables: Mapping[str, str], environ: Mapping[str, str],
) -> FileReference:  # fmt: skip
    try:
        expanded = expand(raw.strip(), node_name, variables, environ)
    except Unresolvable as error:
        return FileReference(node, parm, raw, None, kind, condition=str(error))
    path = absolute_path(expanded, os.path.dirname(scene.path))
    if expanded.strip() in shipped_files() and not is_absolute_path(expanded) and not os.path.exists(path):
        # HOUDINI_PATH finds a relative name in $HIP first, else in $HFS/houdini: the render node's Houdini has it
        return FileReference(node, parm, raw, expanded.strip(), kind, frame_dependent=False, provided_by=SHIPPED_BY)
    return FileReference(node, parm, raw, path, kind)  # frames are checked where its path names them


def _extension(path: str) -> str:
    name = os.path.basename(path).lower()
    for compound in (".bgeo.sc", ".bgeo.gz", ".vdb.sc"):
        if name.endswith(compound):
            return compound[1:]
    return os.path.splitext(name)[1].lstrip(".")

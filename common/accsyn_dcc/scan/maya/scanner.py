"""Scan a Maya scene: every file its render reads, each render layer's output, what could not be resolved.

``scan_maya_scene`` serves the offline ``.ma`` reader and the live scan alike (both fill a
``MayaScene``), so the two give the same records for the same scene. Referenced ``.ma`` scenes are
read too (their nodes named with their namespace); a ``.mb`` reference is a binary dependency, sent
but not looked into, and said so in ``facts["not_followed"]``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from typing import Dict, Iterator, List, Mapping, Optional, Set, Tuple

from accsyn_dcc.ranges import MAX_ITEMS, FrameRange, compact
from accsyn_dcc.references import (
    UNKNOWN_KIND_CONDITION,
    FileReference,
    check_reference,
    looks_like_a_file,
)
from accsyn_dcc.scan.dependencies import check_references, finish_scan
from accsyn_dcc.scan.environment import Unresolvable, expand_variables
from accsyn_dcc.scan.maya.ascii import MayaSceneError, load_ascii
from accsyn_dcc.scan.maya.layers import (
    RENDER_GLOBALS,
    RENDERER,
    SETTINGS_ATTRIBUTES,
    SETTINGS_TYPES,
    TIME_UNITS,
    current_time,
    layer_outputs,
    render_layers,
    scene_range,
    subframe_problem,
)
from accsyn_dcc.scan.maya.model import MayaNode, MayaScene
from accsyn_dcc.scan.maya.node_types import (
    CONVERTED_KIND,
    CONVERTED_TEXTURES,
    INSTALL_PATH_STARTS,
    NOT_INPUT_TYPES,
    PROVIDED_BY,
    RULES_BY_TYPE,
)
from accsyn_dcc.scan.maya.project import MayaProject, find_project
from accsyn_dcc.scan.maya.xgen import collection_folders
from accsyn_dcc.scan.node_rules import SINGLE, SWITCHED, FieldName, FileRule
from accsyn_dcc.scan.records import Dependency, ScanResult, quoted_value
from accsyn_dcc.sequences import DirectoryIndex

MAX_REFERENCE_DEPTH = 32
_FRAME_DIGITS = re.compile(r"(\d+)(?=\.[A-Za-z0-9]+$)")
_UDIM_DIGITS = re.compile(r"(?<!\d)1\d{3}(?!\d)(?=[^\\/]*$)")
_UV_DIGITS = re.compile(r"u\d+_v\d+(?=[^\\/]*$)")
TILING_TOKENS = {1: "u<u>_v<v>", 2: "u<U>_v<V>", 3: "<UDIM>"}
BINARY_REFERENCE = "a Maya binary scene: sent as it is; its own references and textures cannot be read offline"


def scan_file(
    path: str, frames: Optional[FrameRange] = None, environ: Optional[Mapping[str, str]] = None, **options: object
) -> ScanResult:
    """Scan the ``.ma`` file at ``path`` for ``frames`` (None: its render range)."""
    return scan_maya_scene(load_ascii(os.path.abspath(path)), frames, environ)


def scan_maya_scene(
    scene: MayaScene,
    frames: Optional[FrameRange] = None,
    environ: Optional[Mapping[str, str]] = None,
    project: Optional[MayaProject] = None,
    follow_references: bool = True,
) -> ScanResult:
    """The records of ``scene`` checked against disk, each folder listed once.

    ``project``: Maya's current project (live), else the one found above the scene file. ``follow_references``:
    read referenced ``.ma`` files (offline); a live scene already holds the referenced nodes.
    """
    environ = os.environ if environ is None else environ
    project = project or find_project(scene.path)
    layers = render_layers(scene)
    own_range = scene_range(scene)
    job_frames = frames or own_range
    result = ScanResult(
        scene=scene.path,
        frame_range=own_range,
        fps=_fps(scene.time_unit),
        facts={
            "maya_version": scene.plugins.get("maya", ""),
            "renderer": _renderer(scene),
            "project": project.root,
            "current_time": current_time(scene),
            "plugins": {name: version for name, version in scene.plugins.items() if name != "maya"},
            "layers": [
                {"name": layer.name, "render_layer": layer.legacy_name, "renderable": layer.renderable,
                 "range": str(layer.frames), "cameras": list(layer.cameras)}
                for layer in layers
            ],
            "not_followed": [],
            "relocated": [],
        },
    )  # fmt: skip
    result.errors += [problem for problem in (project.problem, subframe_problem(scene)) if problem]
    if len(own_range) >= MAX_ITEMS:
        result.errors.append(f"{RENDER_GLOBALS}: the range is longer than {MAX_ITEMS} frames; cut to {own_range}")
    index = DirectoryIndex()
    walk = _ReferenceWalk(project, environ, job_frames, result, index)
    references = list(walk.references(scene, 0, follow_references))
    result.dependencies, result.unresolved = check_references(references, job_frames, index, environ)
    references = _relocate_missing(references, result, project, job_frames, index, environ)
    folders = [folder for reference in references for folder in _xgen_folders(reference, project)]
    result.dependencies += _converted_textures(scene, references, job_frames, index)
    result.outputs = layer_outputs(scene, project, layers)
    return finish_scan(result, folders, job_frames, index, environ)


@dataclass
class _ReferenceWalk:
    """What walking a scene and the ``.ma`` scenes it references shares: where, which frames, what was read."""

    project: MayaProject
    environ: Mapping[str, str]
    frames: FrameRange
    result: ScanResult
    index: DirectoryIndex
    visited: Set[str] = field(default_factory=set)

    def references(self, scene: MayaScene, depth: int, follow: bool, namespace: str = "") -> Iterator[FileReference]:
        """The file references of ``scene``'s nodes and, with ``follow``, of the ``.ma`` scenes it references."""
        self.visited.add(os.path.normcase(os.path.abspath(scene.path)))
        for node in scene.nodes:
            for reference in node_references(node, self.project, self.environ, self.frames):
                yield replace(reference, node=in_namespace(reference.node, namespace)) if namespace else reference
        for maya_reference in scene.references:
            reference = _path_reference(
                in_namespace(maya_reference.reference_node or maya_reference.namespace, namespace), "reference",
                maya_reference.raw, "reference", self.project, self.environ,
            )  # fmt: skip
            if not maya_reference.loaded:
                reference = replace(reference, needed=False, condition="an unloaded (deferred) reference")
            yield reference
            if follow and reference.path is not None and maya_reference.loaded and maya_reference.depth == 1:
                yield from self.followed(reference.path, maya_reference.namespace, depth, namespace)

    def followed(self, path: str, reference_namespace: str, depth: int, namespace: str) -> Iterator[FileReference]:
        """The references inside a referenced scene: read when it is Maya ASCII, reported when it is binary."""
        scene_folder = os.path.dirname(self.result.scene)
        places = [path, *self.project.fallbacks(path, scene_folder)]
        located = next((place for place in places if self.index.exists(place)), None)
        if located is None:
            return
        extension = os.path.splitext(located)[1].lower()
        if extension == ".mb":
            self.result.facts["not_followed"].append({"path": located, "reason": BINARY_REFERENCE})
            return
        if extension != ".ma" or os.path.normcase(os.path.abspath(located)) in self.visited:
            return
        if depth >= MAX_REFERENCE_DEPTH:
            self.result.errors.append(f"{located}: references nested deeper than {MAX_REFERENCE_DEPTH}; not read")
            return
        try:
            child = load_ascii(located)
        except MayaSceneError as error:
            self.result.errors.append(str(error))
            return
        child_namespace = f"{namespace}{reference_namespace}:" if reference_namespace else namespace
        yield from self.references(child, depth + 1, True, child_namespace)


def attributes_to_read(node_type: str) -> List[FieldName]:
    """The attributes a scan needs from a node of ``node_type`` (for the live scan, which reads no more)."""
    wanted: List[FieldName] = list(SETTINGS_ATTRIBUTES.get(node_type, ()))
    for rule in RULES_BY_TYPE.get(node_type, ()):
        wanted += rule.fields
    return list(dict.fromkeys(wanted))


def in_namespace(name: str, namespace: str) -> str:
    """``name`` as Maya shows it once its scene is referenced under ``namespace`` (``ns:``), each DAG level."""
    return "|".join(namespace + part if part else part for part in name.split("|"))


def node_references(
    node: MayaNode, project: MayaProject, environ: Mapping[str, str], frames: FrameRange
) -> List[FileReference]:
    """The files one node names: by the node-type table, else by the path-shaped fallback."""
    rules = RULES_BY_TYPE.get(node.type)
    if rules is not None:
        found: List[FileReference] = []
        for rule in rules:
            found += _rule_references(node, rule, project, environ, frames)
        return found
    if node.type in NOT_INPUT_TYPES or node.type in SETTINGS_TYPES:
        return []
    return [
        replace(_path_reference(node.name, attribute, value, "file", project, environ), required=False,
                condition=UNKNOWN_KIND_CONDITION)
        for attribute, value in node.attributes.items()
        if looks_like_a_file(value)
    ]  # fmt: skip


def _rule_references(
    node: MayaNode, rule: FileRule, project: MayaProject, environ: Mapping[str, str], frames: FrameRange
) -> List[FileReference]:
    value = node.value(rule.field)
    if not value or not value.strip():
        return []
    if rule.enabled_by is not None and not node.flag(rule.enabled_by, False):
        return []
    values = value.splitlines() if rule.many else [value]
    found: List[FileReference] = []
    for raw in (text.strip() for text in values):
        if not raw:
            continue
        text = raw + rule.suffix
        if rule.folder is not None:
            folder = node.value(rule.folder) or ""
            text = f"{folder.rstrip('/')}/{text}" if folder else text
        reference = _path_reference(node.name, rule.field.name, text, rule.kind, project, environ)
        found.append(_with_frames(reference, node, rule, frames))
    return found


def _with_frames(reference: FileReference, node: MayaNode, rule: FileRule, frames: FrameRange) -> FileReference:
    """The path's frame and tile tokens as Maya reads them: a switched-on sequence, UV tiling."""
    path = reference.path
    if path is None:
        return reference
    if rule.tiling is not None:
        mode = int(node.number(rule.tiling, 0))
        token = TILING_TOKENS.get(mode)
        if token and "<" not in os.path.basename(path):
            pattern = _UDIM_DIGITS if mode == 3 else _UV_DIGITS
            path = pattern.sub(token, path, count=1)
    if rule.frames == SINGLE:
        return replace(reference, path=path, frame_dependent=False)
    if rule.frames == SWITCHED:
        if rule.switch is None or not node.flag(rule.switch, False):
            return replace(reference, path=path, frame_dependent=False)
        if not any(token in path for token in ("<f", "#", "%0", "%d")):
            path = _FRAME_DIGITS.sub(lambda match: "#" * len(match.group(1)), path, count=1)
        offset = round(node.number(rule.frame_offset, 0)) if rule.frame_offset else 0
        if offset:
            shifted = [frame + offset for frame in frames if frame + offset >= 0]
            return replace(reference, path=path, frames=FrameRange.parse(compact(shifted)) if shifted else None)
    return replace(reference, path=path)


def _xgen_folders(reference: FileReference, project: MayaProject) -> List[FileReference]:
    """The data folders of an XGen collection file the scene names (each one sent whole)."""
    if reference.kind != "xgen" or reference.path is None:
        return []
    return [
        FileReference(reference.node, "xgDataPath", raw, folder, "xgen data", frame_dependent=False, folder=True)
        for raw, folder in collection_folders(reference.path, project.root)
    ]


def _path_reference(
    node: str, attribute: str, raw: str, kind: str, project: MayaProject, environ: Mapping[str, str]
) -> FileReference:
    """A reference for a saved path: variables expanded, made absolute against the project; a file of Maya's own
    install listed as provided by the render node's Maya."""
    if raw.strip().startswith(INSTALL_PATH_STARTS):
        return FileReference(node, attribute, raw, raw.strip(), kind, frame_dependent=False, provided_by=PROVIDED_BY)
    try:
        expanded = expand_variables(raw.strip(), environ)
    except Unresolvable as error:
        return FileReference(node, attribute, raw, None, kind, condition=str(error))
    return FileReference(node, attribute, raw, project.absolute(expanded), kind)


def _relocate_missing(
    references: List[FileReference],
    result: ScanResult,
    project: MayaProject,
    frames: FrameRange,
    index: DirectoryIndex,
    environ: Mapping[str, str],
) -> List[FileReference]:
    """Move each reference whose file is missing to where Maya also looks (beside the scene, the project's
    source images...) when it is there: its records in ``result`` are replaced and the move is listed in
    ``facts["relocated"]``. Only the missing files are checked again; the references, as moved, are returned."""
    missing = {(dep.node, dep.knob, dep.path) for dep in result.dependencies if not dep.exists}
    moved: Dict[Tuple[str, str, Optional[str]], FileReference] = {}
    for reference in references:
        key = (reference.node, reference.attribute, reference.path)
        if reference.path is None or key not in missing:
            continue
        for place in project.fallbacks(reference.path, os.path.dirname(result.scene)):
            candidate = replace(reference, path=place)
            checked = check_reference(candidate, frames, index)
            if isinstance(checked, Dependency) and checked.exists:
                moved[key] = candidate
                result.facts["relocated"].append({"node": reference.node, "attribute": reference.attribute,
                                                  "saved": quoted_value(reference.raw), "found": place})  # fmt: skip
                break
    if not moved:
        return references
    found, unresolved = check_references(list(moved.values()), frames, index, environ)
    result.dependencies = [dep for dep in result.dependencies if (dep.node, dep.knob, dep.path) not in moved] + found
    result.unresolved += unresolved
    return [moved.get((reference.node, reference.attribute, reference.path), reference) for reference in references]


def _converted_textures(
    scene: MayaScene, references: List[FileReference], frames: FrameRange, index: DirectoryIndex
) -> List[Dependency]:
    """The conversions the scene's renderer reads in place of its textures, where all of one lie beside it."""
    converted = CONVERTED_TEXTURES.get(_renderer(scene).strip())
    if converted is None:
        return []
    options = scene.node(converted.options_node) if converted.options_node else None
    if converted.switches and not any(options.flag(switch, True) if options else True for switch in converted.switches):
        return []
    found: List[Dependency] = []
    holds: Dict[str, bool] = {}  # folder -> whether it holds any file of the conversion's suffix (one pass each)
    for reference in references:
        if reference.kind != "texture" or reference.path is None or reference.provided_by:
            continue
        stem, extension = os.path.splitext(reference.path)
        path = reference.path + converted.suffix if converted.keeps_extension else stem + converted.suffix
        folder = os.path.dirname(path)
        if folder not in holds:
            holds[folder] = any(name.lower().endswith(converted.suffix) for name in index.names(folder))
        if not extension or path == reference.path or not holds[folder]:
            continue
        checked = check_reference(replace(reference, path=path, kind=CONVERTED_KIND), frames, index)
        if isinstance(checked, Dependency) and checked.exists and not checked.missing:
            found.append(checked)
    return found


def _renderer(scene: MayaScene) -> str:
    globals_node = scene.node(RENDER_GLOBALS)
    return (globals_node.value(RENDERER) or "") if globals_node else ""


def _fps(unit: str) -> Optional[float]:
    if unit in TIME_UNITS:
        return TIME_UNITS[unit]
    try:
        return float(unit[:-3]) if unit.endswith("fps") else None
    except ValueError:
        return None

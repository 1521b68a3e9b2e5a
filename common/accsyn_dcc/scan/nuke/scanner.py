"""Scan a .nk script offline: every file its render needs, its outputs, and what could not be resolved."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Dict, List, Mapping, Optional, Sequence, Set, Tuple

from accsyn_dcc.host_table import host_named
from accsyn_dcc.ranges import FrameRange
from accsyn_dcc.references import FileReference, check_reference, too_many_frames
from accsyn_dcc.scan.dependencies import brought_by, finish_scan
from accsyn_dcc.scan.environment import Unresolvable
from accsyn_dcc.scan.fonts import FontFinder, font_tables_readable, system_font_folders, text2_font
from accsyn_dcc.scan.node_rules import SINGLE
from accsyn_dcc.scan.nuke.outputs import (
    ABSOLUTE,
    in_project,
    is_output,
    output_of,
    rendered_nodes,
    scene_range,
    write_limit,
)
from accsyn_dcc.scan.nuke.read_frames import ReadTiming, read_timing
from accsyn_dcc.scan.nuke.rules import OUTPUT_CLASSES, RULES_BY_TYPE, SCRIPT_KINDS, is_builtin
from accsyn_dcc.scan.nuke.script import Node, NukeScript, knob_on, parse_script
from accsyn_dcc.scan.nuke.tcl import PARENT, TclEvaluator
from accsyn_dcc.scan.nuke.tokenizer import NukeScriptError
from accsyn_dcc.scan.readable import UnreadableFile, read_bounded, scene_text, shown
from accsyn_dcc.scan.records import Dependency, ScanResult, Unresolved, quoted_value
from accsyn_dcc.sequences import DirectoryIndex, view_variants

PLUGIN_PATH = host_named("nuke").plugin_path
"""NUKE_PATH: where gizmos are found here, and what the session sets on the farm for them (the host table)."""
MAX_SCRIPT_BYTES = 512 * 1024 * 1024
"""A larger file is refused: no real script comes near it (a Precomp on ``/dev/zero`` would never end)."""


def load_script(path: str) -> NukeScript:
    """Parse the script at ``path``: a regular file only (never a device, FIFO or folder), of bounded size."""
    try:
        data = read_bounded(path, MAX_SCRIPT_BYTES, "the script")
    except UnreadableFile as error:
        raise NukeScriptError(shown(path), 0, 0, str(error)) from None
    return parse_script(scene_text(data), path)


def scan_file(
    path: str,
    frames: Optional[FrameRange] = None,
    environ: Optional[Mapping[str, str]] = None,
    plugin_paths: Sequence[str] = (),
    **options: object,
) -> ScanResult:
    """Scan the script at ``path`` for ``frames`` (None: the root's range)."""
    return scan_script(load_script(os.path.abspath(path)), frames, environ, plugin_paths)


def scan_script(
    script: NukeScript,
    frames: Optional[FrameRange] = None,
    environ: Optional[Mapping[str, str]] = None,
    plugin_paths: Sequence[str] = (),
) -> ScanResult:
    """Scan a parsed (or live-collected) script; file checks list each folder once."""
    scene = script.path
    scanner = _Scanner(dict(os.environ if environ is None else environ), list(plugin_paths), DirectoryIndex())
    result = ScanResult(scene=scene, views=scanner.views(script))
    result.frame_range = root_range = scanner.root_range(script, result)
    result.fps = _float(script.root.get("fps"))
    result.facts = {
        "nuke_version": script.version,
        "proxy": knob_on(script.root.get("proxy", "false")),
        "color_management": script.root.get("colorManagement", "Nuke"),
    }
    scanner.scan(script, frames or root_range, result, prefix="", visited={scene}, context=ScriptContext(scene, ""))
    return finish_scan(result)  # its references were checked as they were read; marks a Read of a Write's render


def _float(text: Optional[str]) -> Optional[float]:
    try:
        return float(text) if text is not None else None
    except ValueError:
        return None


@dataclass(frozen=True)
class ScriptContext:
    """Where a script's expressions evaluate: ``[value root.name]`` and relative paths; empty: the script itself."""

    script_path: str
    project: str
    parent_knobs: Mapping[str, str] = field(default_factory=dict)
    """The knobs of the gizmo instance whose contents these are (``[value parent.knob]``)."""


class _Scanner:
    def __init__(self, environ: Dict[str, str], plugin_paths: List[str], index: DirectoryIndex) -> None:
        self.environ = environ
        self.plugin_paths = plugin_paths
        self.index = index
        home = environ.get("HOME") or environ.get("USERPROFILE") or os.path.expanduser("~")
        self.fonts = FontFinder(system_font_folders(home, environ))

    def root_range(self, script: NukeScript, result: ScanResult) -> FrameRange:
        """The root's range as the farm renders it (``outputs.scene_range``); why it differs is an error."""
        scene = scene_range(script.root.get("first_frame"), script.root.get("last_frame"))
        if scene.finding:
            result.errors.append(scene.finding)
        return scene.frames

    def views(self, script: NukeScript) -> List[str]:
        text = script.root.get("views", "")
        views = [line.split()[0] for line in text.splitlines() if line.split()]
        return views or ["main"]

    def gizmo_dirs(self) -> List[str]:
        """Nuke's plug-in search order: ~/.nuke, NUKE_PATH entries, then the given plug-in paths."""
        home = self.environ.get("HOME") or self.environ.get("USERPROFILE") or os.path.expanduser("~")
        dirs = [os.path.join(home, ".nuke")]
        dirs += [entry for entry in self.environ.get(PLUGIN_PATH, "").split(os.pathsep) if entry]
        return dirs + self.plugin_paths

    def scan(
        self, script: NukeScript, frames: FrameRange, result: ScanResult, prefix: str, visited: Set[str],
        context: ScriptContext, outputs: bool = True,
    ) -> None:  # fmt: skip
        """Scan ``script``; a gizmo's contents evaluate in ``context`` (the script that uses it), and only the
        main script and its gizmos write the job's outputs (a Precomp's Writes are not the job's)."""
        self._nodes(script, frames, result, prefix, visited, context, outputs)
        evaluator = self._evaluator(script, context)
        self._ocio(script, evaluator, context.project or self._project_directory(script, evaluator), result)

    def _evaluator(self, script: NukeScript, context: ScriptContext) -> TclEvaluator:
        """Expressions of ``script``'s nodes: ``[value parent.knob]`` from ``context``, the rest from the script."""
        return TclEvaluator(
            lambda node, knob: context.parent_knobs.get(knob) if node == PARENT else _lookup(script, node, knob),
            context.script_path or script.path,
            self.environ,
        )

    def _nodes(
        self, script: NukeScript, frames: FrameRange, result: ScanResult, prefix: str, visited: Set[str],
        context: ScriptContext, outputs: bool,
    ) -> None:  # fmt: skip
        """Every node of ``script``: its files, its output, its gizmo, its Precomp or LiveGroup script."""
        script_path = context.script_path or script.path
        evaluator = self._evaluator(script, context)
        project = context.project or self._project_directory(script, evaluator)
        proxy = knob_on(script.root.get("proxy", "false"))
        views = self.views(script)
        inline_children = {node.parent for node in script.nodes if node.parent}
        for node in rendered_nodes(script.nodes):
            full = prefix + node.name
            for knob, kind, sequence, condition in self._input_knobs(node, proxy):
                checked = self._dependency(node, full, knob, kind, sequence, condition, evaluator, project, frames,
                                           views, result)  # fmt: skip
                if checked is None or not checked.exists or kind not in SCRIPT_KINDS:
                    continue
                if kind != "livegroup":
                    self._nested_script(checked.path, full, frames, result, visited)
                elif node.name not in inline_children:  # published: its nodes are only in its own script
                    self._live_group(checked.path, node, script, full, prefix, frames, result, visited,
                                     ScriptContext(script_path, project, context.parent_knobs), outputs)  # fmt: skip
            if outputs and is_output(node):
                resolve = partial(self._resolve, evaluator=evaluator, group=node.parent, project=project)
                output, findings = output_of(node, full, proxy, views, resolve)
                result.outputs += [output] if output else []
                result.unresolved += findings
            if not is_builtin(node.node_class):
                instance = ScriptContext(script_path, project, node.knobs)
                self._gizmo(node, full, frames, result, visited, instance, outputs)

    def _input_knobs(self, node: Node, proxy: bool) -> List[Tuple[str, str, bool, str]]:
        """(knob, kind, frames, condition) of every file knob the node reads; a condition knob set by an
        expression makes the file conditional instead of dropping it."""
        knobs: List[Tuple[str, str, bool, str]] = []
        for rule in RULES_BY_TYPE.get(node.node_class, ()):
            knob, sequence = rule.field.name, rule.frames != SINGLE
            if knob not in node.knobs:
                continue
            toggle = rule.enabled_by.name if rule.enabled_by else ""
            switch = node.knobs.get(toggle, "false").strip() if toggle else "true"
            if knob_on(switch):
                knobs.append((knob, rule.kind, sequence, ""))
            elif switch.startswith(("{", "[", "$")):
                knobs.append((knob, rule.kind, sequence, f"{toggle} ({switch}) is on when Nuke evaluates it"))
        if node.node_class == "Read" and proxy and node.knobs.get("proxy"):
            knobs.append(("proxy", "read", True, ""))
        if node.node_class == "Text2" and "font" in node.knobs:
            knobs.append(("font", "font", False, ""))
        return knobs + [(knob, "file", False, "") for knob in node.user_file_knobs if node.knobs.get(knob)]

    def _font_folders(self, evaluator: TclEvaluator) -> List[str]:
        """Where Text2 looks for fonts: the project font path, ``NUKE_FONT_PATH``, then the plug-in folders."""
        raw_project = evaluator.lookup("root", "free_type_font_path") or ""
        try:
            project_fonts = evaluator.evaluate(raw_project) if raw_project else ""
        except Unresolvable:
            project_fonts = ""
        folders = [project_fonts, *self.environ.get("NUKE_FONT_PATH", "").split(os.pathsep), *self.plugin_paths]
        return [folder for folder in folders if folder]

    def _text2_font(self, raw: str, evaluator: TclEvaluator) -> Tuple[str, str]:
        """(file, why not) of a Text2 ``font``: an absolute file, a file on the font folders, else the family and
        style looked up in the fonts' name tables (a system font says so in ``why not``)."""
        family, style, name = text2_font(raw)
        folders = self._font_folders(evaluator)
        if name and ABSOLUTE.match(name):
            return name, ""
        for folder in folders if name else []:
            candidate = os.path.join(folder, name)
            if self.index.exists(candidate):
                return candidate, ""
        if not family:
            return name, ""
        if not font_tables_readable():
            return "", f"font {family} {style} has no file, and fontTools (to look fonts up by name) is not installed"
        match = self.fonts.find(family, style, folders)
        if match is None:
            where = "the font folders or the system's" if name == "" else f"{name} on the font folders"
            return "", f"font {family} {style} not found in {where}"
        return match.path, "a system font: the render node needs it installed" if match.system else ""

    def _project_directory(self, script: NukeScript, evaluator: TclEvaluator) -> str:
        raw = script.root.get("project_directory", "")
        try:
            value = evaluator.evaluate(raw) if raw else ""
        except Unresolvable:
            value = ""
        return value or os.path.dirname(script.path)

    def _resolve(self, raw: str, evaluator: TclEvaluator, group: Optional[str], project: str) -> str:
        return in_project(evaluator.evaluate(raw, group), project)

    def _dependency(
        self, node: Node, full: str, knob: str, kind: str, sequence: bool, condition: str, evaluator: TclEvaluator,
        project: str, frames: FrameRange, views: List[str], result: ScanResult,
    ) -> Optional[Dependency]:  # fmt: skip
        """The file ``knob`` names, checked, with what it brings, added to ``result``; None when not resolved."""
        raw = node.knobs[knob]
        if node.node_class == "Text2" and knob == "font":
            raw, why_not = self._text2_font(raw, evaluator)
            if not raw:
                result.unresolved.append(Unresolved(full, knob, quoted_value(node.knobs[knob]), why_not))
                return None
            if why_not:
                condition = why_not
        try:
            path = self._resolve(raw, evaluator, node.parent, project)
        except Unresolvable as reason:
            result.unresolved.append(Unresolved(full, knob, quoted_value(raw), str(reason)))
            return None
        if not path:
            return None
        try:
            file_frames, needed, note = _file_frames(frames, node) if sequence else (None, True, "")
        except _TooManyFrames as reason:
            result.unresolved.append(Unresolved(full, knob, quoted_value(raw), str(reason)))
            return None
        reference = FileReference(
            full, knob, raw, path, kind, frames=file_frames, frame_dependent=sequence,
            required=not condition, condition=condition or note, variants=tuple(view_variants(views)), needed=needed,
        )  # fmt: skip
        checked = check_reference(reference, frames, self.index)
        if isinstance(checked, Unresolved):
            result.unresolved.append(checked)
            return None
        if not needed:  # its own frames were checked to say whether it is there; the job reads none of them
            checked = replace(checked, frames=None, missing="", files=())
        brought, not_resolved = brought_by(checked, self.environ, self.index)
        result.dependencies += [checked, *brought]
        result.unresolved += not_resolved
        return checked

    def _nested_script(
        self, path: str, full: str, frames: FrameRange, result: ScanResult, visited: Set[str],
        context: Optional[ScriptContext] = None, outputs: bool = False,
    ) -> None:  # fmt: skip
        """Scan a Precomp/LiveGroup script (its own context, its Writes not the job's) or a gizmo (``context``)."""
        absolute = os.path.abspath(path)
        if absolute in visited:
            result.errors.append(f"{full}: {path} includes itself (a precomp cycle); not scanned again")
            return
        try:
            nested = load_script(absolute)
        except NukeScriptError as error:
            result.errors.append(f"{full}: {error}")
            return
        self.scan(nested, frames, result, prefix=f"{full}>", visited=visited | {absolute},
                  context=context or ScriptContext("", ""), outputs=outputs)  # fmt: skip

    def _live_group(
        self, path: str, live: Node, script: NukeScript, full: str, prefix: str, frames: FrameRange,
        result: ScanResult, visited: Set[str], context: ScriptContext, outputs: bool,
    ) -> None:  # fmt: skip
        """A published LiveGroup's nodes, read from its own script (the same bounded reader) as if saved inline:
        named under the LiveGroup, evaluated in the script that holds it (its root, its project)."""
        absolute = os.path.abspath(path)
        if absolute in visited:
            result.errors.append(f"{full}: {path} includes itself (a LiveGroup cycle); not scanned again")
            return
        try:
            nested = load_script(absolute)
        except NukeScriptError as error:
            result.errors.append(f"{full}: {error}")
            return
        nodes = [replace(node, name=f"{live.name}.{node.name}", parent=f"{live.name}.{node.parent}" if node.parent
                         else live.name) for node in nested.nodes]  # fmt: skip
        inline = NukeScript(script.path, script.root, script.version, nodes)
        self._nodes(inline, frames, result, prefix, visited | {absolute}, context, outputs)

    def _gizmo(
        self, node: Node, full: str, frames: FrameRange, result: ScanResult, visited: Set[str],
        context: ScriptContext, outputs: bool,
    ) -> None:  # fmt: skip
        name = f"{node.node_class}.gizmo"
        for folder in self.gizmo_dirs():
            candidate = os.path.join(folder, name)
            if self.index.exists(candidate):
                result.dependencies.append(Dependency(candidate, "gizmo", full, "class", True))
                self._nested_script(candidate, full, frames, result, visited, context, outputs)
                return
        result.unresolved.append(
            Unresolved(full, "class", node.node_class, f"{name} not found on ~/.nuke, NUKE_PATH or the plug-in paths")
        )

    def _ocio(self, script: NukeScript, evaluator: TclEvaluator, project: str, result: ScanResult) -> None:
        if script.root.get("colorManagement") != "OCIO" or script.root.get("OCIO_config", "") != "custom":
            return
        raw = script.root.get("customOCIOConfigPath", "")
        if not raw:
            return
        try:
            config = self._resolve(raw, evaluator, None, project)
        except Unresolvable as reason:
            result.unresolved.append(Unresolved("root", "customOCIOConfigPath", raw, str(reason)))
            return
        dependency = Dependency(config, "ocio", "root", "customOCIOConfigPath", self.index.exists(config))
        luts, unresolved = brought_by(dependency, self.environ, self.index)
        result.dependencies += [dependency, *luts]
        result.unresolved += unresolved


def _lookup(script: NukeScript, node: str, knob: str) -> Optional[str]:
    if node == "root":
        return script.root.get(knob)
    found = script.node(node)
    return found.knobs.get(knob) if found else None


def _file_frames(frames: FrameRange, node: Node) -> Tuple[Optional[FrameRange], bool, str]:
    """(file frames, needed, note) a Read reads for the job's ``frames`` (see ``read_frames``); a Write that
    reads its own file reads the job's frames (within its ``use_limit`` range)."""
    if node.node_class in OUTPUT_CLASSES:
        bounds, _not_a_number = write_limit(node)  # reported with the Write's output
        return (frames.clipped(*bounds) or frames) if bounds else frames, True, ""
    timing = read_timing(node.knobs)
    if timing.problem:
        return _own_frames(timing), True, f"{timing.problem}; all its frames are checked"
    if not timing.shift and max(timing.first, 0) <= frames.first and frames.last <= timing.last:
        return frames, True, ""  # the common case: the job's frames are all the file's own
    runs = [(max(first, 0), last) for first, last in timing.file_runs(frames) if last >= 0]
    if not runs:
        modes = f"{timing.before}/{timing.after}"
        note = f"its frames {timing.first}-{timing.last} lie outside the job's, before/after {modes}"
        return _own_frames(timing), False, note
    return FrameRange.from_runs(runs), True, ""


class _TooManyFrames(ValueError):
    """A Read's own frame range is too long to check file by file."""


def _own_frames(timing: ReadTiming) -> FrameRange:
    """A Read's own frames, ``first``-``last`` (none below 0); ``_TooManyFrames`` when too many to check."""
    first, last = max(timing.first, 0), max(timing.last, 0)
    too_many = too_many_frames(last - first + 1)
    if too_many:
        raise _TooManyFrames(f"{too_many} in its own range {first}-{last}")
    return FrameRange.from_bounds(first, last)

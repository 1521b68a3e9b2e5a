"""Scan a .nk script offline: every file its render needs, its outputs, and what could not be resolved."""

from __future__ import annotations

import os
import posixpath
import re
from typing import Dict, List, Mapping, Optional, Sequence, Set, Tuple

from accsyn_dcc.ranges import FrameRange
from accsyn_dcc.references import FileReference, check_reference
from accsyn_dcc.scan.nuke.rules import INPUT_RULES, MOVIE_TYPES, OUTPUT_CLASSES, SCRIPT_KINDS, is_builtin
from accsyn_dcc.scan.nuke.script import Node, NukeScript, parse_script, read_text
from accsyn_dcc.scan.nuke.tcl import TclEvaluator, TclUnresolved
from accsyn_dcc.scan.nuke.tokenizer import NukeScriptError
from accsyn_dcc.scan.records import Dependency, Output, ScanResult, Unresolved
from accsyn_dcc.sequences import DirectoryIndex, view_variants

_ABSOLUTE = re.compile(r"^([A-Za-z]:[\\/]|[\\/]{2}|/)")
_TRUE = ("true", "1")


def load_script(path: str) -> NukeScript:
    try:
        with open(path, "rb") as stream:
            data = stream.read()
    except OSError as error:
        raise NukeScriptError(path, 0, 0, f"cannot read the script ({error.strerror})") from None
    return parse_script(read_text(data), path)


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
    root_range = scanner.root_range(script)
    result = ScanResult(scene=scene, frame_range=str(root_range), views=scanner.views(script))
    result.fps = _float(script.root.get("fps"))
    result.facts = {
        "nuke_version": script.version,
        "proxy": script.root.get("proxy", "false") in _TRUE,
        "color_management": script.root.get("colorManagement", "Nuke"),
    }
    scanner.scan(script, frames or root_range, result, prefix="", visited={scene})
    return result


def _float(text: Optional[str]) -> Optional[float]:
    try:
        return float(text) if text is not None else None
    except ValueError:
        return None


class _Scanner:
    def __init__(self, environ: Dict[str, str], plugin_paths: List[str], index: DirectoryIndex) -> None:
        self.environ = environ
        self.plugin_paths = plugin_paths
        self.index = index

    def root_range(self, script: NukeScript) -> FrameRange:
        first = int(float(script.root.get("first_frame", "1")))
        last = int(float(script.root.get("last_frame", "100")))
        return FrameRange.from_bounds(max(first, 0), max(last, first, 0))

    def views(self, script: NukeScript) -> List[str]:
        text = script.root.get("views", "")
        views = [line.split()[0] for line in text.splitlines() if line.split()]
        return views or ["main"]

    def gizmo_dirs(self) -> List[str]:
        """Nuke's plug-in search order: ~/.nuke, NUKE_PATH entries, then the given plug-in paths."""
        home = self.environ.get("HOME") or self.environ.get("USERPROFILE") or os.path.expanduser("~")
        dirs = [os.path.join(home, ".nuke")]
        dirs += [entry for entry in self.environ.get("NUKE_PATH", "").split(os.pathsep) if entry]
        return dirs + self.plugin_paths

    def scan(self, script: NukeScript, frames: FrameRange, result: ScanResult, prefix: str, visited: Set[str]) -> None:
        evaluator = TclEvaluator(lambda node, knob: _lookup(script, node, knob), script.path, self.environ)
        project = self._project_directory(script, evaluator)
        proxy = script.root.get("proxy", "false") in _TRUE
        views = self.views(script)
        disabled_groups: Set[str] = set()
        for node in script.nodes:
            if node.disabled or (node.parent and any(node.parent.startswith(g) for g in disabled_groups)):
                if node.node_class in ("Group", "Gizmo", "LiveGroup"):
                    disabled_groups.add(node.name)
                continue
            full = prefix + node.name
            for knob, kind, sequence in self._input_knobs(node, proxy):
                self._dependency(node, full, knob, kind, sequence, evaluator, project, frames, views, result, visited)
            if node.node_class in OUTPUT_CLASSES and node.knobs.get("reading", "false") not in _TRUE:
                self._output(node, full, evaluator, project, views, result)
            if not is_builtin(node.node_class):
                self._gizmo(node, full, frames, result, visited)
        self._ocio(script, evaluator, project, result)

    def _input_knobs(self, node: Node, proxy: bool) -> List[Tuple[str, str, bool]]:
        knobs = [
            (rule.knob, rule.kind, rule.frames)
            for rule in INPUT_RULES.get(node.node_class, [])
            if rule.knob in node.knobs and (rule.when is None or node.knobs.get(rule.when, "false") in _TRUE)
        ]
        if node.node_class == "Read" and proxy and node.knobs.get("proxy"):
            knobs.append(("proxy", "read", True))
        if node.node_class == "Text2" and "font" in node.knobs:
            knobs.append(("font", "font", False))
        return knobs + [(knob, "file", False) for knob in node.user_file_knobs if node.knobs.get(knob)]

    def _font_file(self, name: str, evaluator: TclEvaluator) -> str:
        """A Text2 font file: as given when absolute, else found on the project font path,
        ``NUKE_FONT_PATH`` or the plug-in folders (in that order); unchanged when found nowhere."""
        if not name or _ABSOLUTE.match(name):
            return name
        raw_project = evaluator.lookup("root", "free_type_font_path") or ""
        try:
            project_fonts = evaluator.evaluate(raw_project) if raw_project else ""
        except TclUnresolved:
            project_fonts = ""
        folders = [project_fonts, *self.environ.get("NUKE_FONT_PATH", "").split(os.pathsep), *self.plugin_paths]
        for folder in filter(None, folders):
            candidate = os.path.join(folder, name)
            if self.index.exists(candidate):
                return candidate
        return name

    def _project_directory(self, script: NukeScript, evaluator: TclEvaluator) -> str:
        raw = script.root.get("project_directory", "")
        try:
            value = evaluator.evaluate(raw) if raw else ""
        except TclUnresolved:
            value = ""
        return value or os.path.dirname(script.path)

    def _resolve(self, raw: str, evaluator: TclEvaluator, group: Optional[str], project: str) -> str:
        value = evaluator.evaluate(raw, group).strip()
        if value and not _ABSOLUTE.match(value):
            value = os.path.join(project, value).replace("\\", "/")
        if value.startswith("/") and not value.startswith("//"):
            value = posixpath.normpath(value)
        return value

    def _dependency(
        self, node: Node, full: str, knob: str, kind: str, sequence: bool, evaluator: TclEvaluator,
        project: str, frames: FrameRange, views: List[str], result: ScanResult, visited: Set[str],
    ) -> None:  # fmt: skip
        raw = node.knobs[knob]
        if node.node_class == "Text2" and knob == "font":
            raw = self._font_file(_text2_font_file(raw), evaluator)
            if not raw:
                result.unresolved.append(Unresolved(full, knob, node.knobs[knob], "font family only; no file to send"))
                return
        try:
            path = self._resolve(raw, evaluator, node.parent, project)
        except TclUnresolved as reason:
            result.unresolved.append(Unresolved(full, knob, raw, str(reason)))
            return
        if not path:
            return
        reference = FileReference(
            full, knob, raw, path, kind, frames=_clip(frames, node) if sequence else None,
            frame_dependent=sequence, variants=tuple(view_variants(views)),
        )  # fmt: skip
        checked = check_reference(reference, frames, self.index)
        if isinstance(checked, Unresolved):
            result.unresolved.append(checked)
            return
        result.dependencies.append(checked)
        if kind in SCRIPT_KINDS and checked.exists:
            self._nested_script(path, full, frames, result, visited)

    def _nested_script(self, path: str, full: str, frames: FrameRange, result: ScanResult, visited: Set[str]) -> None:
        absolute = os.path.abspath(path)
        if absolute in visited:
            result.errors.append(f"{full}: {path} includes itself (a precomp cycle); not scanned again")
            return
        try:
            nested = load_script(absolute)
        except NukeScriptError as error:
            result.errors.append(f"{full}: {error}")
            return
        self.scan(nested, frames, result, prefix=f"{full}>", visited=visited | {absolute})

    def _output(
        self, node: Node, full: str, evaluator: TclEvaluator, project: str, views: List[str], result: ScanResult
    ) -> None:
        raw = node.knobs.get(OUTPUT_CLASSES[node.node_class], "")
        if not raw:
            return
        try:
            path = self._resolve(raw, evaluator, node.parent, project)
        except TclUnresolved as reason:
            result.unresolved.append(Unresolved(full, "file", raw, str(reason)))
            return
        file_type = node.knobs.get("file_type") or os.path.splitext(path)[1].lstrip(".").lower()
        limit = None
        if node.knobs.get("use_limit", "false") in _TRUE:
            limit = f"{int(float(node.knobs.get('first', '1')))}-{int(float(node.knobs.get('last', '1')))}"
        own_views = node.knobs.get("views", "").split()
        result.outputs.append(Output(full, path, limit, own_views or views, file_type, file_type in MOVIE_TYPES))

    def _gizmo(self, node: Node, full: str, frames: FrameRange, result: ScanResult, visited: Set[str]) -> None:
        name = f"{node.node_class}.gizmo"
        for folder in self.gizmo_dirs():
            candidate = os.path.join(folder, name)
            if self.index.exists(candidate):
                result.dependencies.append(Dependency(candidate, "gizmo", full, "class", True))
                self._nested_script(candidate, full, frames, result, visited)
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
        except TclUnresolved as reason:
            result.unresolved.append(Unresolved("root", "customOCIOConfigPath", raw, str(reason)))
            return
        exists = self.index.exists(config)
        result.dependencies.append(Dependency(config, "ocio", "root", "customOCIOConfigPath", exists))
        if exists:
            for lut, found in _ocio_files(config, self.environ, self.index):
                result.dependencies.append(Dependency(lut, "lut", "root", "customOCIOConfigPath", found))


def _lookup(script: NukeScript, node: str, knob: str) -> Optional[str]:
    if node == "root":
        return script.root.get(knob)
    found = script.node(node)
    return found.knobs.get(knob) if found else None


def _clip(frames: FrameRange, node: Node) -> Optional[FrameRange]:
    """The job's frames limited to the Read's own first/last."""
    try:
        first = int(float(node.knobs.get("first", frames.first)))
        last = int(float(node.knobs.get("last", frames.last)))
    except ValueError:
        return frames
    return frames.clipped(first, last) or frames.clipped(last, last)


def _text2_font_file(raw: str) -> str:
    """The file part of Text2's ``{Family : Style : file : index}`` font knob."""
    parts = [part.strip() for part in raw.strip("{} ").split(":")]
    return parts[2] if len(parts) >= 3 else ""


_SEARCH_PATH = re.compile(r"^search_path:\s*(.*)$", re.MULTILINE)
_SOURCE = re.compile(r"\bsrc:\s*([^,}\s]+)")


def _ocio_files(config: str, environ: Mapping[str, str], index: DirectoryIndex) -> List[Tuple[str, bool]]:
    """LUT files an OCIO config references (``src:`` of FileTransforms), found through its search path.

    A focused reader, not a YAML parser: it handles ``search_path`` as a ``:``-separated string or
    a ``[a, b]`` list, and ``src:`` in inline or block transforms; ``$VAR`` expands from ``environ``.
    """
    with open(config, encoding="utf-8", errors="replace") as stream:
        text = stream.read()
    folder = os.path.dirname(config)
    match = _SEARCH_PATH.search(text)
    raw_paths = match.group(1).strip().strip("[]\"'") if match else "."
    entries = [entry.strip().strip("\"'") for entry in re.split(r"[:,]", raw_paths) if entry.strip()] or ["."]
    search = [os.path.join(folder, _expand(entry, environ)) for entry in entries]
    files: List[Tuple[str, bool]] = []
    for source in dict.fromkeys(_SOURCE.findall(text)):
        source = _expand(source.strip("\"'"), environ)
        candidates = [source] if os.path.isabs(source) else [os.path.join(entry, source) for entry in search]
        found = next((os.path.normpath(path) for path in candidates if index.exists(path)), None)
        files.append((found or os.path.normpath(candidates[0]), found is not None))
    return files


def _expand(text: str, environ: Mapping[str, str]) -> str:
    return re.sub(r"\$\{?(\w+)\}?", lambda match: environ.get(match.group(1), match.group(0)), text)

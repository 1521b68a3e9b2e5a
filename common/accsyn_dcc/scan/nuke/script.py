"""The node tree of a .nk script (or gizmo, or clipboard file): nodes with raw knob values.

Understands node commands ``Class {knobs}``, ``Root``, ``version``, ``set``/``push`` (stack
bookkeeping, ignored), ``clone`` (the definition ``clone node<address>|Class|<id> Class {...}`` is a
node; a later ``clone $C...`` shares its knobs and adds no file of its own), ``end_group`` closing
``Group``/``Gizmo``/``LiveGroup``/``VariableGroup`` (at most 1,000 deep), ``add_layer`` and
``addUserKnob`` (type 2 marks a file knob). In a gizmo file the outer ``Gizmo`` is the instance
itself, so its contents are named as if at the top.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Set, Tuple

from accsyn_dcc.scan.nuke.tokenizer import NODE_CLASS, Command, NukeScriptError, plain_lines, tidy_knobs, tokenize

CONTAINERS = {"Group", "Gizmo", "LiveGroup", "VariableGroup"}
MAX_GROUP_DEPTH = 1000
"""Groups nested deeper than this are refused as a damaged file (Nuke's own scripts stay far below)."""
_IGNORED = {"set", "push", "add_layer", "define_window_layout_xml", "cut_paste_input", "version"}
_NODE_CLASS = re.compile(rf"^{NODE_CLASS}$")
_SPECIAL_NODES = frozenset({"Root", "Gizmo", "clone", "end_group", *_IGNORED})
"""Commands that may look like a node (``Name {...}``) but are not a node of the script."""
_USER_KNOB = re.compile(r"^\s*(\d+)\s+(\S+)")


def knob_on(text: str) -> bool:
    """A saved on/off knob (``disable``, ``proxy``, ``reading``, ``use_limit``...) is on: ``true`` or ``1``, as Nuke
    writes it (the live scan writes a knob's value in the same text)."""
    return text.strip().lower() in ("true", "1")


@dataclass
class Node:
    """One node: its class, full name (``Group1.Read2``) and raw knob text."""

    node_class: str
    name: str
    knobs: Dict[str, str] = field(default_factory=dict)
    user_file_knobs: Sequence[str] = ()
    parent: Optional[str] = None
    line: int = 0

    @property
    def disabled(self) -> bool:
        return knob_on(self.knobs.get("disable", "false"))


@dataclass
class NukeScript:
    path: str
    root: Dict[str, str] = field(default_factory=dict)
    version: str = ""
    nodes: List[Node] = field(default_factory=list)

    def node(self, full_name: str) -> Optional[Node]:
        return next((node for node in self.nodes if node.name == full_name), None)


def parse_script(text: str, path: str = "<script>") -> NukeScript:
    script = NukeScript(path)
    groups: List[str] = []
    counters: Dict[str, int] = {}
    taken: Set[str] = set()
    for command in tokenize(text, path):
        name = command.name
        words = command.words
        if len(words) == 2 and words[1].plain and name not in _SPECIAL_NODES:  # most commands: a tidy node
            _add_node(script, name, _knobs(command, path), groups, counters, taken, command, path)
        elif name == "version":
            script.version = " ".join(word.text for word in command.words[1:])
        elif name == "end_group":
            if not groups:
                raise NukeScriptError(path, command.line, command.words[0].column, "end_group without a group")
            groups.pop()
        elif name == "clone" and len(command.words) == 4 and command.words[3].braced:
            # ``clone node<address>|<Class>|<id> <Class> {knobs}``: a clone's first (and only) definition.
            if not _NODE_CLASS.match(command.words[2].text):
                raise NukeScriptError(path, command.line, command.words[0].column, "a clone names no node class")
            _add_node(script, command.words[2].text, _knobs(command, path, 3), groups, counters, taken, command, path)
        elif name in _IGNORED or name == "clone":
            continue
        elif name == "Root" and len(command.words) == 2 and command.words[1].braced:
            script.root = _knobs(command, path)[0]
        elif name == "Gizmo" and not groups and len(command.words) == 2:
            groups.append("")
        elif _NODE_CLASS.match(name) and len(command.words) == 2 and command.words[1].braced:
            _add_node(script, name, _knobs(command, path), groups, counters, taken, command, path)
        else:
            word = command.words[0]
            raise NukeScriptError(path, word.line, word.column, "not a Nuke script command")
    if groups:
        raise NukeScriptError(path, 0, 0, f"group {groups[-1]} has no end_group")
    return script


def _add_node(
    script: NukeScript, node_class: str, parsed: Tuple[Dict[str, str], Sequence[str]], groups: List[str],
    counters: Dict[str, int], taken: Set[str], command: Command, path: str,
) -> None:  # fmt: skip
    knobs, user_files = parsed
    prefix = groups[-1] if groups else ""
    short = knobs.get("name") or _next_name(node_class, counters, taken, prefix)
    full = f"{prefix}.{short}" if prefix else short
    taken.add(full)
    script.nodes.append(Node(node_class, full, knobs, user_files, prefix or None, command.line))
    if node_class in CONTAINERS:
        if len(groups) >= MAX_GROUP_DEPTH:
            raise NukeScriptError(path, command.line, 1, f"groups nested deeper than {MAX_GROUP_DEPTH}")
        groups.append(full)


def _next_name(node_class: str, counters: Dict[str, int], taken: Set[str], prefix: str) -> str:
    base = re.sub(r"\d+$", "", node_class.split(".")[-1]) or node_class
    while True:
        counters[base] = counters.get(base, 0) + 1
        candidate = f"{base}{counters[base]}"
        if (f"{prefix}.{candidate}" if prefix else candidate) not in taken:
            return candidate


def _knobs(command: Command, path: str, body_word: int = 1) -> Tuple[Dict[str, str], Sequence[str]]:
    """The knob lines of a node body: ``name value...`` -> raw value text; and its file user knobs."""
    body = command.words[body_word]
    if body.plain and "addUserKnob" not in body.text:  # the common case: one dictionary from one pass
        return tidy_knobs(body.text), ()
    lines = plain_lines(body.text)
    if lines is None:
        lines = [
            (line.name, line.words[1].text if len(line.words) == 2 else " ".join(word.text for word in line.words[1:]))
            for line in tokenize(body.text, path, body.line)
            if len(line.words) > 1
        ]
    knobs: Dict[str, str] = {}
    user_files: List[str] = []
    for key, value in lines:
        if key != "addUserKnob":
            knobs[key] = value
            continue
        match = _USER_KNOB.match(value)
        if match and match.group(1) == "2":
            user_files.append(match.group(2))
    return knobs, user_files

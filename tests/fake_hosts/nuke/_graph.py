"""Stand-in nodes, knobs and the open script, named and shaped like Nuke's Python API.

``scriptOpen(path)`` builds the graph from a .nk file through the offline reader, with knob values
evaluated as Nuke would (TCL subset), so live and offline scans can be compared on one fixture.
"""

from __future__ import annotations

import os
from typing import Any, Dict, List, Optional

from accsyn_dcc.scan.environment import Unresolvable
from accsyn_dcc.scan.nuke.scanner import load_script
from accsyn_dcc.scan.nuke.tcl import TclEvaluator

_FILE_KNOBS = {"file", "proxy", "vfield_file", "customOCIOConfigPath"}
_BOOLEAN_KNOBS = {"disable", "read_from_file", "reading", "use_limit", "proxy_mode"}


class Knob:
    def __init__(self, name: str, value: Any, knob_class: str = "String_Knob", evaluated: Optional[str] = None) -> None:
        self._name, self._value, self._class, self._evaluated = name, value, knob_class, evaluated

    def name(self) -> str:
        return self._name

    def Class(self) -> str:
        return self._class

    def value(self) -> Any:
        return self._value

    def getEvaluatedValue(self) -> Any:
        return self._evaluated if self._evaluated is not None else self._value


class Node:
    def __init__(self, node_class: str, full_name: str, knobs: Dict[str, Knob]) -> None:
        self._class, self._full_name, self._knobs = node_class, full_name, knobs

    def Class(self) -> str:
        return self._class

    def name(self) -> str:
        return self._full_name.rpartition(".")[2]

    def fullName(self) -> str:
        return self._full_name

    def knob(self, name: str) -> Optional[Knob]:
        return self._knobs.get(name)

    def knobs(self) -> Dict[str, Knob]:
        return dict(self._knobs)

    def __getitem__(self, name: str) -> Knob:
        return self._knobs[name]


_state: Dict[str, Any] = {"root": Node("Root", "root", {}), "nodes": [], "views": ["main"], "plugin_path": []}


def root() -> Node:
    return _state["root"]


def allNodes(filter: Optional[str] = None, group: Any = None, recurseGroups: bool = False) -> List[Node]:
    nodes = [node for node in _state["nodes"] if recurseGroups or "." not in node.fullName()]
    return [node for node in nodes if filter is None or node.Class() == filter]


def toNode(name: str) -> Optional[Node]:
    return next((node for node in _state["nodes"] if node.fullName() == name), None)


def views() -> List[str]:
    return list(_state["views"])


def pluginPath() -> List[str]:
    return list(_state["plugin_path"])


def filename(node: Node, type: int = 0) -> Optional[str]:
    knob = node.knob("file")
    return None if knob is None else knob.getEvaluatedValue()


def scriptOpen(path: str, environ: Optional[Dict[str, str]] = None) -> None:
    """Load a .nk file into the stand-in graph, evaluating TCL in knob values as Nuke would."""
    script = load_script(os.path.abspath(path))
    environment = dict(os.environ if environ is None else environ)

    def lookup(node: str, knob: str) -> Optional[str]:
        found = script.root if node == "root" else next((n.knobs for n in script.nodes if n.name == node), {})
        return found.get(knob)

    evaluator = TclEvaluator(lookup, script.path, environment)

    def make(name: str, raw: str, group: Optional[str], file_knob: bool) -> Knob:
        try:
            evaluated: Optional[str] = evaluator.evaluate(raw, group)
        except Unresolvable:
            evaluated = raw
        value: Any = raw.lower() in ("true", "1") if name in _BOOLEAN_KNOBS else raw
        return Knob(name, value, "File_Knob" if file_knob else "String_Knob", evaluated)

    root_knobs = {name: make(name, raw, None, name in _FILE_KNOBS) for name, raw in script.root.items()}
    root_knobs["name"] = Knob("name", script.path, "File_Knob")
    _state["root"] = Node("Root", "root", root_knobs)
    view_text = script.root.get("views", "")
    _state["views"] = [line.split()[0] for line in view_text.splitlines() if line.split()] or ["main"]
    _state["nodes"] = [
        Node(
            node.node_class,
            node.name,
            {
                name: make(name, raw, node.parent, name in _FILE_KNOBS or name in node.user_file_knobs)
                for name, raw in node.knobs.items()
            },
        )
        for node in script.nodes
    ]


def _reset_graph() -> None:
    _state.update(root=Node("Root", "root", {}), nodes=[], views=["main"], plugin_path=[])

"""The stand-in's state: one open scene (nodes, attributes, connections, references) and its UI."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional, Tuple


@dataclass
class Node:
    type: str
    name: str
    """Full name as ``ls -long`` answers (``|rock|rockShape``, ``file1``)."""
    attributes: Dict[str, Any] = field(default_factory=dict)
    """Long attribute name -> value as ``getAttr`` returns it."""
    short_names: Dict[str, str] = field(default_factory=dict)
    """Short attribute name -> long name."""
    filename_attributes: List[str] = field(default_factory=list)
    """Attributes flagged ``usedAsFilename``."""


@dataclass
class Reference:
    path: str
    unresolved: str
    node: str
    namespace: str
    loaded: bool = True
    children: List[Reference] = field(default_factory=list)


@dataclass
class State:
    scene_name: str = ""
    modified: bool = False
    saved: int = 0
    version: str = "2024"
    batch: bool = False
    time_unit: str = "film"
    workspace_root: str = "/"
    file_rules: Dict[str, str] = field(default_factory=lambda: {"images": "images", "sourceImages": "sourceimages"})
    nodes: Dict[str, Node] = field(default_factory=dict)
    known_types: set = field(default_factory=set)
    connections: List[Tuple[str, str, str, str]] = field(default_factory=list)
    references: List[Reference] = field(default_factory=list)
    registered_file_types: List[str] = field(default_factory=list)
    plugins: Dict[str, str] = field(default_factory=dict)
    current_layer: str = "defaultRenderLayer"
    getattr_calls: int = 0
    on_getattr: Optional[Callable[[str], None]] = None
    ui: Dict[str, Dict[str, Any]] = field(default_factory=dict)
    deferred: List[Any] = field(default_factory=list)
    script_jobs: List[Any] = field(default_factory=list)

    def find(self, name: str) -> Optional[Node]:
        name = name.lstrip(":") if not name.startswith("|") else name
        if name in self.nodes:
            return self.nodes[name]
        matches = [node for node in self.nodes.values() if node.name.rpartition("|")[2] == name.rpartition("|")[2]]
        return matches[0] if len(matches) == 1 else None


STATE = State()


def reset(**values: Any) -> State:
    """A new empty scene (and UI) with ``values`` set."""
    global STATE
    STATE = State(**values)
    STATE.known_types |= {
        "file",
        "camera",
        "transform",
        "mesh",
        "renderGlobals",
        "renderLayer",
        "time",
        "renderSetupLayer",
        "collection",
        "renderSettingsCollection",
        "simpleSelector",
        "absOverride",
        "absUniqueOverride",
        "audio",
        "imagePlane",
        "cacheFile",
        "gpuCache",
        "AlembicNode",
        "colorManagementGlobals",
        "assemblyReference",
        "psdFileTex",
    }
    return STATE


def state() -> State:
    return STATE


def add_node(
    node_type: str,
    name: str,
    attributes: Dict[str, Any],
    short_names: Dict[str, str],
    filename_attributes: Optional[List[str]] = None,
) -> Node:
    STATE.known_types.add(node_type)
    node = Node(node_type, name, dict(attributes), dict(short_names), list(filename_attributes or []))
    STATE.nodes[name] = node
    return node


reset()

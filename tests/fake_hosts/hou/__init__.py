"""A stand-in for SideFX's ``hou`` module with the real API's names and signatures (as in types-houdini),
and no Houdini. ``_load`` opens a scene described as nodes with parms; ``STATE`` holds it and the UI."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence, Tuple


class OperationFailed(Exception):
    """hou.OperationFailed"""


@dataclass
class _Keyframe:
    expression_text: str

    def expression(self) -> str:
        return self.expression_text


class Parm:
    def __init__(self, node: Node, name: str, value: Any, keyframes: Optional[List[_Keyframe]] = None,
                 evaluated: Optional[str] = None) -> None:  # fmt: skip
        self._node, self._name, self._value = node, name, value
        self._keyframes = keyframes or []
        self._evaluated = evaluated

    def name(self) -> str:
        return self._name

    def node(self) -> Node:
        return self._node

    def unexpandedString(self) -> str:
        if self._keyframes:
            raise OperationFailed("Parameter has keyframes; use evalAsString")
        return str(self._value)

    def evalAsString(self) -> str:
        return self._evaluated if self._evaluated is not None else expandString(str(self._value))

    def eval(self) -> Any:
        return self._value

    def keyframes(self) -> Tuple[_Keyframe, ...]:
        STATE.calls += 1
        return tuple(self._keyframes)

    def expression(self) -> str:
        if not self._keyframes:
            raise OperationFailed("Parameter has no keyframes")
        return self._keyframes[0].expression()


class ParmTuple:
    def __init__(self, parms: List[Parm]) -> None:
        self._parms = parms

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._parms)

    def __len__(self) -> int:
        return len(self._parms)

    def __getitem__(self, index: int) -> Parm:
        return self._parms[index]


@dataclass
class NodeTypeCategory:
    _name: str
    types: Dict[str, OpNodeType] = field(default_factory=dict)

    def name(self) -> str:
        return self._name

    def nodeTypes(self) -> Dict[str, OpNodeType]:
        return dict(self.types)


@dataclass
class OpNodeType:
    _name: str
    _category: NodeTypeCategory
    nodes: List[Node] = field(default_factory=list)

    def name(self) -> str:
        return self._name

    def category(self) -> NodeTypeCategory:
        return self._category

    def instances(self) -> Tuple[Node, ...]:
        return tuple(self.nodes)


NodeType = OpNodeType


class Node:
    def __init__(self, path: str, node_type: OpNodeType, bypassed: bool = False) -> None:
        self._path, self._type, self._bypassed = path, node_type, bypassed
        self._parms: Dict[str, List[Parm]] = {}
        self.wired: List[str] = []

    def inputs(self) -> Tuple[Optional[Node], ...]:
        return tuple(STATE.nodes.get(path) for path in self.wired)

    def path(self) -> str:
        return self._path

    def name(self) -> str:
        return self._path.rpartition("/")[2]

    def type(self) -> OpNodeType:
        return self._type

    def isBypassed(self) -> bool:
        return self._bypassed

    def parm(self, name: str) -> Optional[Parm]:
        STATE.calls += 1
        for parms in self._parms.values():
            for parm in parms:
                if parm.name() == name:
                    return parm
        return None

    def parms(self) -> Tuple[Parm, ...]:
        return tuple(parm for parms in self._parms.values() for parm in parms)

    def parmTuple(self, name: str) -> Optional[ParmTuple]:
        parms = self._parms.get(name)
        return ParmTuple(parms) if parms else None


@dataclass
class _State:
    hip: str = "untitled.hip"
    modified: bool = False
    saved: int = 0
    version: str = "20.5.370"
    frame_range: Tuple[float, float] = (1.0, 240.0)
    frame_rate: float = 24.0
    current: float = 1.0
    variables: Dict[str, str] = field(default_factory=dict)
    categories: Dict[str, NodeTypeCategory] = field(default_factory=dict)
    nodes: Dict[str, Node] = field(default_factory=dict)
    references: List[Tuple[Optional[Parm], str]] = field(default_factory=list)
    hda_files: Dict[str, List[str]] = field(default_factory=dict)
    """HDA file -> the node type names it defines."""
    selected: List[str] = field(default_factory=list)
    ui_available: bool = True
    messages: List[str] = field(default_factory=list)
    main_window: Any = None
    calls: int = 0


STATE = _State()


def _reset(**values: Any) -> _State:
    global STATE
    STATE = _State(**values)
    return STATE


def _category(name: str) -> NodeTypeCategory:
    return STATE.categories.setdefault(name, NodeTypeCategory(name))


def _add_node(
    path: str,
    type_name: str,
    category: str,
    parms: Dict[str, List[Any]],
    bypassed: bool = False,
    inputs: Sequence[str] = (),
) -> Node:
    """Add a node whose parms are lists of components: a value, or ``("keyframes", cached, expression)``."""
    owner = _category(category)
    node_type = owner.types.setdefault(type_name, OpNodeType(type_name, owner))
    node = Node(path, node_type, bypassed)
    node.wired = list(inputs)
    node_type.nodes.append(node)
    for name, values in parms.items():
        components = []
        names = [name] if len(values) == 1 else [f"{name}{index + 1}" for index in range(len(values))]
        for component, value in zip(names, values):
            if isinstance(value, tuple):
                components.append(Parm(node, component, value[1], [_Keyframe(value[2])], evaluated=value[1]))
            else:
                components.append(Parm(node, component, value))
        node._parms[name] = components
    STATE.nodes[path] = node
    return node


# -- module functions, as hou has them ------------------------------------------------------------


def applicationVersionString() -> str:
    return STATE.version


def isUIAvailable() -> bool:
    return STATE.ui_available


def fps() -> float:
    return STATE.frame_rate


def frame() -> float:
    return STATE.current


def node(path: str) -> Optional[Node]:
    return STATE.nodes.get(path)


def selectedNodes(include_hidden: bool = False) -> Tuple[Node, ...]:
    return tuple(STATE.nodes[path] for path in STATE.selected if path in STATE.nodes)


def nodeTypeCategories() -> Dict[str, NodeTypeCategory]:
    return dict(STATE.categories)


def fileReferences(
    project_dir_variable: str = "HIP", include_all_refs: bool = True
) -> Sequence[Tuple[Optional[Parm], str]]:
    return list(STATE.references)


def expandString(text: str, expand_tilde: bool = True) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(2)
        if name in STATE.variables:
            return STATE.variables[name]
        return os.environ.get(name, "")

    return re.sub(r"\$\{(\w+)\}|\$(\w+)", value, text)


class hipFile:
    @staticmethod
    def path() -> str:
        return STATE.hip

    @staticmethod
    def hasUnsavedChanges() -> bool:
        return STATE.modified

    @staticmethod
    def save(file_name: Optional[str] = None, save_to_recent_files: bool = True) -> None:
        STATE.saved += 1
        STATE.modified = False


class playbar:
    @staticmethod
    def frameRange() -> Tuple[float, float]:
        return STATE.frame_range


class text:
    expandString = staticmethod(expandString)


class hda:
    @staticmethod
    def loadedFiles() -> Tuple[str, ...]:
        return tuple(STATE.hda_files)

    @staticmethod
    def definitionsInFile(file_path: str) -> Tuple[HDADefinition, ...]:
        return tuple(HDADefinition(name) for name in STATE.hda_files.get(file_path, []))


@dataclass
class HDADefinition:
    type_name: str

    def nodeType(self) -> OpNodeType:
        for category in STATE.categories.values():
            if self.type_name in category.types:
                return category.types[self.type_name]
        return OpNodeType(self.type_name, NodeTypeCategory("Sop"))


class qt:
    @staticmethod
    def mainWindow() -> Any:
        return STATE.main_window


class ui:
    @staticmethod
    def displayMessage(text: str, **kwargs: Any) -> int:
        STATE.messages.append(text)
        return 0

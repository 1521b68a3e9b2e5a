"""A Maya scene as both Maya readers see it: nodes with attribute values, a few connections, references.

The offline Maya ASCII reader fills it from a ``.ma`` file (attributes under the short names Maya
saves, ``ftn``); the live scan fills it through ``maya.cmds`` (long names, ``fileTextureName``).
Rules therefore name both spellings, and ``MayaNode.value`` answers for either.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional, Tuple

from accsyn_dcc.scan.node_rules import FieldName

TRUE_WORDS = frozenset({"yes", "on", "true", "1"})
FALSE_WORDS = frozenset({"no", "off", "false", "0"})


class AttributeName(FieldName):
    """One attribute by its long name (``maya.cmds``) and its short name (what ``.ma`` files save): a ``FieldName``
    whose one alias is the short name."""

    def __init__(self, long: str, short: str) -> None:
        super().__init__(long, (short,))

    @property
    def long(self) -> str:
        return self.name

    @property
    def short(self) -> str:
        return self.aliases[0]


@dataclass
class MayaNode:
    """One dependency node: its type, name, DAG parent and the attribute values read (as text)."""

    type: str
    own_name: str
    """Its full name (``|rig|bodyShape`` as ``ls -long`` gives it, ``file1``), or with ``dag_parent`` its name
    one level below that parent only."""
    parent: Optional[str] = None
    """The DAG parent as saved (``createNode -p``) or as Maya names it."""
    attributes: Dict[str, str] = field(default_factory=dict)
    dag_parent: Optional[MayaNode] = field(default=None, repr=False, compare=False)
    """The node above it, when the reader linked them: a deep DAG then costs a link per node, not a full name."""
    name_length: int = field(default=0, init=False, repr=False, compare=False)
    """How long ``name`` is, known without building it (set when the node joins a scene)."""
    path_key: int = field(default=0, init=False, repr=False, compare=False)
    """Its full DAG path's key in its scene (``MayaScene.node`` finds a linked node by it); 0 until needed."""

    @property
    def name(self) -> str:
        """The full name, built from the links above it when there are any."""
        if self.dag_parent is None:
            return self.own_name
        levels = [self.own_name]
        top = self.dag_parent
        while top.dag_parent is not None:
            levels.append(top.own_name)
            top = top.dag_parent
        levels.append(top.own_name.strip("|"))
        return "|" + "|".join(reversed(levels))

    def value(self, attribute: FieldName, default: Optional[str] = None) -> Optional[str]:
        """The value saved under the long or the short name; ``default`` when neither was set."""
        for name in attribute.spellings:
            if name in self.attributes:
                return self.attributes[name]
        return default

    def flag(self, attribute: FieldName, default: bool) -> bool:
        """An on/off attribute (``yes``/``no``, ``on``/``off``, ``1``/``0``, ``True``/``False``)."""
        return on_off(self.value(attribute), default)

    def number(self, attribute: FieldName, default: float) -> float:
        """A numeric attribute; ``default`` when it is not set, not a number, infinite or NaN."""
        try:
            value = float(self.value(attribute) or "")
        except ValueError:
            return default
        return value if math.isfinite(value) else default

    @property
    def leaf_name(self) -> str:
        """The last level of the name, namespace kept (``|rig|char:bodyShape`` -> ``char:bodyShape``)."""
        return self.own_name.rpartition("|")[2]

    @property
    def short_name(self) -> str:
        """The name without DAG path or namespace (``|rig|char:bodyShape`` -> ``bodyShape``)."""
        return self.leaf_name.rpartition(":")[2]


@dataclass(frozen=True)
class Connection:
    """``source_node.source_attribute -> target_node.target_attribute`` (attribute names as read)."""

    source_node: str
    source_attribute: str
    target_node: str
    target_attribute: str


@dataclass(frozen=True)
class MayaReference:
    """A referenced scene: the path as saved, its reference node, and whether Maya loads it."""

    raw: str
    reference_node: str
    namespace: str = ""
    loaded: bool = True
    depth: int = 1
    """1 for the scene's own references, 2+ for references inside them (``file -rdi 2``)."""


@dataclass
class MayaScene:
    """Everything a scan reads from one Maya scene."""

    path: str
    nodes: List[MayaNode] = field(default_factory=list)
    connections: List[Connection] = field(default_factory=list)
    references: List[MayaReference] = field(default_factory=list)
    plugins: Dict[str, str] = field(default_factory=dict)
    """``requires`` lines: plug-in -> version (``mtoa`` -> ``5.3.0``); ``maya`` -> the Maya version."""
    time_unit: str = "film"
    _by_name: Dict[str, MayaNode] = field(default_factory=dict, repr=False)
    _by_path: Dict[int, MayaNode] = field(default_factory=dict, repr=False)
    """Linked nodes by their path's key (their full names are never stored)."""
    _levels: Dict[Tuple[int, str], int] = field(default_factory=dict, repr=False)
    """(a path's key, a name one level below it) -> the longer path's key; 0 is the root."""
    _into: Dict[str, List[Connection]] = field(default_factory=dict, repr=False)
    _answers: Dict[Tuple[str, Tuple[str, ...]], List[str]] = field(default_factory=dict, repr=False)
    _indexed: int = field(default=-1, repr=False)
    """How many connections ``_into`` and ``_answers`` were built from."""

    def add(self, node: MayaNode) -> MayaNode:
        """Add ``node``: by its name, or when linked to a DAG parent of this scene, by its path's key."""
        self.nodes.append(node)
        above = node.dag_parent
        if above is None:
            node.name_length = len(node.own_name)
            self._by_name[node.own_name] = node
        else:
            prefix = above.name_length if above.dag_parent else len(above.own_name.strip("|")) + 1
            node.name_length = prefix + 1 + len(node.own_name)
            node.path_key = self._level(self._key(above), node.own_name)
            self._by_path[node.path_key] = node
        self._by_name.setdefault(node.short_name, node)
        return node

    def node(self, name: str) -> Optional[MayaNode]:
        """The node called ``name`` (full DAG path, plain name, or ``:shared`` name)."""
        wanted = name.lstrip(":")
        found = self._by_name.get(wanted)
        if found is None and self._by_path and wanted.startswith("|") and not wanted.startswith("||"):
            key = 0
            for level in wanted[1:].split("|"):
                key = self._levels.get((key, level), -1)
                if key < 0:
                    break
            found = self._by_path.get(key)
        return found or self._by_name.get(name.rpartition("|")[2])

    def _key(self, node: MayaNode) -> int:
        """The key of ``node``'s full path; a node at the top of linked ones gets it from its name, once."""
        if not node.path_key:
            key = 0
            for level in node.own_name.strip("|").split("|"):
                key = self._level(key, level)
            node.path_key = key
        return node.path_key

    def _level(self, key: int, name: str) -> int:
        return self._levels.setdefault((key, name), len(self._levels) + 1)

    def of_type(self, *types: str) -> List[MayaNode]:
        return [node for node in self.nodes if node.type in types]

    def sources(self, node: str, attributes: Iterable[str]) -> List[str]:
        """Names of the nodes connected into ``node`` on any of ``attributes`` (in the order saved): from an index
        of the connections by target, each answer kept, so a render setup of many overrides costs each once."""
        if self._indexed != len(self.connections):
            self._into, self._answers, self._indexed = {}, {}, len(self.connections)
            for connection in self.connections:
                self._into.setdefault(connection.target_node.lstrip(":"), []).append(connection)
        question = (node, tuple(attributes))
        if question not in self._answers:
            wanted = set(question[1])
            self._answers[question] = [connection.source_node for connection in self._into.get(node, [])
                                       if _base_attribute(connection.target_attribute) in wanted]  # fmt: skip
        return self._answers[question]


def on_off(text: Optional[str], default: bool) -> bool:
    """An on/off value as Maya saves or returns it; ``default`` when it is neither (or not set)."""
    word = (text or "").strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return default


def _base_attribute(attribute: str) -> str:
    """``rlmi[1]`` -> ``rlmi``; ``aovs[0].aov_name`` -> ``aovs``."""
    return attribute.split(".", 1)[0].split("[", 1)[0]

"""A Maya scene as both Maya readers see it: nodes with attribute values, a few connections, references.

The offline Maya ASCII reader fills it from a ``.ma`` file (attributes under the short names Maya
saves, ``ftn``); the live scan fills it through ``maya.cmds`` (long names, ``fileTextureName``).
Rules therefore name both spellings, and ``MayaNode.value`` answers for either.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional, Tuple

TRUE_WORDS = frozenset({"yes", "on", "true", "1"})
FALSE_WORDS = frozenset({"no", "off", "false", "0"})


@dataclass(frozen=True)
class AttributeName:
    """One attribute by its long name (``maya.cmds``) and its short name (what ``.ma`` files save)."""

    long: str
    short: str

    @property
    def spellings(self) -> Tuple[str, str]:
        return (self.long, self.short)


@dataclass
class MayaNode:
    """One dependency node: its type, name, DAG parent and the attribute values read (as text)."""

    type: str
    name: str
    parent: Optional[str] = None
    attributes: Dict[str, str] = field(default_factory=dict)

    def value(self, attribute: AttributeName, default: Optional[str] = None) -> Optional[str]:
        """The value saved under the long or the short name; ``default`` when neither was set."""
        for name in attribute.spellings:
            if name in self.attributes:
                return self.attributes[name]
        return default

    def flag(self, attribute: AttributeName, default: bool) -> bool:
        """An on/off attribute (``yes``/``no``, ``on``/``off``, ``1``/``0``, ``True``/``False``)."""
        return on_off(self.value(attribute), default)

    def number(self, attribute: AttributeName, default: float) -> float:
        """A numeric attribute; ``default`` when it is not set, not a number, infinite or NaN."""
        try:
            value = float(self.value(attribute) or "")
        except ValueError:
            return default
        return value if math.isfinite(value) else default

    @property
    def short_name(self) -> str:
        """The name without DAG path or namespace (``|rig|char:bodyShape`` -> ``bodyShape``)."""
        return self.name.rpartition("|")[2].rpartition(":")[2]


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

    def add(self, node: MayaNode) -> MayaNode:
        self.nodes.append(node)
        self._by_name[node.name] = node
        self._by_name.setdefault(node.short_name, node)
        return node

    def node(self, name: str) -> Optional[MayaNode]:
        """The node called ``name`` (full DAG path, plain name, or ``:shared`` name)."""
        return self._by_name.get(name.lstrip(":")) or self._by_name.get(name.rpartition("|")[2])

    def of_type(self, *types: str) -> List[MayaNode]:
        return [node for node in self.nodes if node.type in types]

    def sources(self, node: str, attributes: Iterable[str]) -> List[str]:
        """Names of the nodes connected into ``node`` on any of ``attributes`` (in the order saved)."""
        wanted = set(attributes)
        return [
            connection.source_node
            for connection in self.connections
            if connection.target_node.lstrip(":") == node and _base_attribute(connection.target_attribute) in wanted
        ]


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
